package io.ursprung.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the input as bytes on its own thread into the {@link ChunkQueue}.
 *
 * <p>For stdin (auditd) it never waits on the queue for longer than {@code maxWaitMillis}: when the
 * processing thread falls that far behind, the chunk is dropped and its lines counted, and reading
 * goes on. Blocking instead would stall auditd's dispatcher, which then drops events for every
 * plugin and, after five syslog lines, silently. For file replays nobody is hurt by waiting, so
 * nothing is dropped.
 */
final class InputPump implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(InputPump.class);

  /** laurel found 8 KiB reads too small for a busy auditd; 1 MiB costs nothing. */
  private static final int READ_SIZE = 1 << 20;

  /** One input: a name for logs and how to open it. */
  interface Source {
    String name();

    InputStream open() throws IOException;

    static Source stdin(InputStream in) {
      return new Source() {
        @Override
        public String name() {
          return "stdin";
        }

        @Override
        public InputStream open() {
          return in;
        }
      };
    }

    static Source file(Path p) {
      return new Source() {
        @Override
        public String name() {
          return p.toString();
        }

        @Override
        public InputStream open() throws IOException {
          return InputFiles.open(p);
        }
      };
    }
  }

  private final List<Source> sources;
  private final ChunkQueue queue;
  private final long maxWaitMillis;
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong droppedLines = new AtomicLong();
  private final AtomicLong droppedBytes = new AtomicLong();
  private final AtomicLong inputErrors = new AtomicLong();
  private volatile boolean stopped;

  /**
   * @param maxWaitMillis how long to wait for room before dropping; {@code < 0} never drops
   */
  InputPump(List<Source> sources, ChunkQueue queue, long maxWaitMillis) {
    this.sources = sources;
    this.queue = queue;
    this.maxWaitMillis = maxWaitMillis;
  }

  @Override
  public void run() {
    byte[] buf = new byte[READ_SIZE];
    boolean inGap = false;
    boolean gapEndedAtNewline = true;
    long lastDropLog = 0;
    try {
      for (Source source : sources) {
        if (stopped) {
          break;
        }
        byte last = '\n';
        try (InputStream in = source.open()) {
          int n;
          while (!stopped && (n = in.read(buf)) > 0) {
            bytesRead.addAndGet(n);
            ChunkQueue.Chunk c =
                new ChunkQueue.Chunk(Arrays.copyOf(buf, n), n, inGap, gapEndedAtNewline);
            if (queue.offer(c, maxWaitMillis)) {
              inGap = false;
              gapEndedAtNewline = true;
            } else {
              long lines = countNewlines(buf, n);
              droppedLines.addAndGet(lines);
              droppedBytes.addAndGet(n);
              inGap = true;
              gapEndedAtNewline = buf[n - 1] == '\n';
              long now = System.currentTimeMillis();
              if (now - lastDropLog > 10_000) {
                lastDropLog = now;
                LOG.error(
                    "processing fell behind by more than {} ms: dropped input (total {} lines so"
                        + " far); see the back-pressure notes in docs/auditd-plugin.md",
                    maxWaitMillis,
                    droppedLines.get());
              }
            }
            last = buf[n - 1];
          }
        } catch (IOException e) {
          inputErrors.incrementAndGet();
          LOG.error("cannot read {}: {}", source.name(), e.toString());
        }
        if (last != '\n' && !inGap) {
          // A file without a final newline must not glue its last record to the next file's first.
          queue.offer(new ChunkQueue.Chunk(new byte[] {'\n'}, 1, false, true), -1);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        // After a trailing gap the last partial line is damaged: the END chunk says so.
        queue.offer(
            inGap ? new ChunkQueue.Chunk(null, 0, true, gapEndedAtNewline) : ChunkQueue.Chunk.END,
            -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops reading after the current read returns. */
  void stop() {
    stopped = true;
  }

  long bytesRead() {
    return bytesRead.get();
  }

  long droppedLines() {
    return droppedLines.get();
  }

  long droppedBytes() {
    return droppedBytes.get();
  }

  long inputErrors() {
    return inputErrors.get();
  }

  private static long countNewlines(byte[] b, int n) {
    long c = 0;
    for (int i = 0; i < n; i++) {
      if (b[i] == '\n') {
        c++;
      }
    }
    return c;
  }
}
