package io.ursprung.plugin.sink;

import io.ursprung.events.EventCodec;
import io.ursprung.events.ProvEvent;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes each event as one line of wire-format JSON ({@link EventCodec}), for debugging and for
 * replaying audit logs into files. Not thread-safe; the processing thread is its only caller.
 */
public final class JsonLinesSink implements EventSink {

  private final EventCodec codec = new EventCodec();
  private final OutputStream out;
  private long written;

  /** A sink over {@code out}; closing the sink closes it. */
  public JsonLinesSink(OutputStream out) {
    this.out = new BufferedOutputStream(out, 1 << 16);
  }

  /** A sink writing {@code file} (created or truncated). */
  public static JsonLinesSink toFile(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new JsonLinesSink(Files.newOutputStream(file));
  }

  /** A sink writing standard output, which stays open after the sink is closed. */
  public static JsonLinesSink toStdout() {
    return new JsonLinesSink(
        new FilterOutputStream(System.out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            flush();
          }
        });
  }

  @Override
  public void accept(ProvEvent event) {
    try {
      out.write(codec.toBytes(event));
      out.write('\n');
      written++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write event " + event.id(), e);
    }
  }

  @Override
  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public SinkStats stats() {
    return new SinkStats(written, written, 0, 0, 0, 0);
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
