package io.ursprung.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.ProvEvent;
import io.ursprung.plugin.sink.EventSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class InputPipelineTest {

  /** A sink that only notes flush and close. */
  static final class NullSink implements EventSink {
    final AtomicBoolean flushed = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void accept(ProvEvent event) {}

    @Override
    public void flush() {
      flushed.set(true);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private static List<String> splitAll(List<byte[]> chunks) {
    List<String> out = new ArrayList<>();
    LineSplitter s = new LineSplitter();
    LineSplitter.LineConsumer c =
        (b, o, l) -> out.add(new String(b, o, l, StandardCharsets.ISO_8859_1));
    for (byte[] ch : chunks) {
      s.feed(new ChunkQueue.Chunk(ch, ch.length, false, true), c);
    }
    s.finish(c);
    return out;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void linesSpanningChunksAreJoinedAndBytesArePreserved() {
    assertEquals(
        List.of("type=A x", "type=B \u00ffy\u001dENRICHED", "", "last"),
        splitAll(
            List.of(b("type=A x\ntype"), b("=B \u00ffy"), b("\u001dENRICHED\n\nla"), b("st"))));
  }

  @Test
  void aDroppedChunkCutsTheLineAroundItAndIsCounted() {
    List<String> out = new ArrayList<>();
    LineSplitter s = new LineSplitter();
    LineSplitter.LineConsumer c =
        (bb, o, l) -> out.add(new String(bb, o, l, StandardCharsets.ISO_8859_1));
    s.feed(new ChunkQueue.Chunk(b("one\ntw"), 6, false, true), c);
    // "o\nthree\nfo" was dropped by the pump (it counted one newline... and a half line).
    s.feed(new ChunkQueue.Chunk(b("ur\nfive\n"), 8, true, false), c);
    s.feed(new ChunkQueue.Chunk(b("six\n"), 4, true, true), c);
    assertEquals(List.of("one", "five", "six"), out);
    assertEquals(1, s.damaged());
  }

  @Test
  @Timeout(20)
  void replaysFilesInOrderIncludingGzip(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("audit.log"), "c1\nc2\n");
    Files.writeString(dir.resolve("audit.log.1"), "b1\nb2"); // no final newline
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("audit.log.2")))) {
      out.write(b("a1\na2\n"));
    }
    List<InputPump.Source> sources = new ArrayList<>();
    for (Path p : InputFiles.expand(List.of(dir))) {
      sources.add(InputPump.Source.file(p));
    }
    ChunkQueue q = new ChunkQueue(1 << 20);
    InputPump pump = new InputPump(sources, q, -1);
    RecordingProcessor proc = new RecordingProcessor();
    NullSink sink = new NullSink();
    PluginRunner runner = new PluginRunner(q, pump, proc, sink, System::currentTimeMillis);
    new Thread(pump).start();
    assertEquals(0, runner.run());
    assertEquals(List.of("a1", "a2", "b1", "b2", "c1", "c2"), proc.lines);
    assertTrue(proc.ended);
    assertTrue(sink.flushed.get() && sink.closed.get());
  }

  @Test
  @Timeout(20)
  void idleInputStillTicksAndEndOfInputFinishes() throws Exception {
    PipedOutputStream writer = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(writer, 1 << 16);
    ChunkQueue q = new ChunkQueue(1 << 20);
    InputPump pump = new InputPump(List.of(InputPump.Source.stdin(stdin)), q, 100);
    RecordingProcessor proc = new RecordingProcessor();
    PluginRunner runner =
        new PluginRunner(q, pump, proc, new NullSink(), System::currentTimeMillis);
    new Thread(pump).start();
    Thread t = new Thread(runner::run);
    t.start();
    writer.write(b("type=SYSCALL msg=audit(1.0:1): a=1\n"));
    writer.flush();
    Thread.sleep(1300);
    writer.close();
    t.join(10_000);
    assertTrue(proc.ended);
    assertEquals(List.of("type=SYSCALL msg=audit(1.0:1): a=1"), proc.lines);
    assertTrue(proc.ticks.size() >= 3, "ticks " + proc.ticks);
    for (int i = 1; i < proc.ticks.size(); i++) {
      assertTrue(proc.ticks.get(i) - proc.ticks.get(i - 1) <= 500, "ticks " + proc.ticks);
    }
  }

  @Test
  @Timeout(20)
  void aStalledConsumerMakesStdinDropCountedLinesInsteadOfBlocking() throws Exception {
    int lines = 20_000;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      sb.append("type=SYSCALL msg=audit(1.0:").append(i).append("): padding padding\n");
    }
    byte[] data = b(sb.toString());
    // Reads in small pieces, like a socket that auditd keeps filling.
    InputStream stdin =
        new ByteArrayInputStream(data) {
          @Override
          public synchronized int read(byte[] buf, int off, int len) {
            return super.read(buf, off, Math.min(len, 4096));
          }
        };
    ChunkQueue q = new ChunkQueue(16 * 1024);
    InputPump pump = new InputPump(List.of(InputPump.Source.stdin(stdin)), q, 5);
    long t0 = System.nanoTime();
    pump.run(); // nobody consumes yet: the reader must still get to the end quickly
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000, "reader blocked");
    assertTrue(pump.droppedLines() > 0);

    RecordingProcessor proc = new RecordingProcessor();
    PluginRunner runner =
        new PluginRunner(q, pump, proc, new NullSink(), System::currentTimeMillis);
    runner.run();
    long delivered = proc.lines.size();
    long dropped = runner.stats(java.util.Optional.empty()).inputDroppedLines();
    assertEquals(lines, delivered + dropped, "every line delivered or counted");
    for (String l : proc.lines) {
      assertTrue(l.matches("type=SYSCALL msg=audit\\(1\\.0:\\d+\\): padding padding"), l);
    }
  }

  @Test
  void closedStdinIsJustTheEnd() throws IOException {
    ChunkQueue q = new ChunkQueue(1024);
    InputPump pump = emptyStdin(q);
    RecordingProcessor proc = new RecordingProcessor();
    new PluginRunner(q, pump, proc, new NullSink(), System::currentTimeMillis).run();
    assertTrue(proc.ended);
    assertEquals(List.of(), proc.lines);
  }

  @Test
  void theEndTaskRunsAfterTheLastEventIsApplied() throws IOException {
    ChunkQueue q = new ChunkQueue(1024);
    InputPump pump = emptyStdin(q);
    RecordingProcessor proc = new RecordingProcessor();
    PluginRunner runner =
        new PluginRunner(q, pump, proc, new NullSink(), System::currentTimeMillis);
    boolean[] endedFirst = {false};
    runner.atEnd(() -> endedFirst[0] = proc.ended);
    runner.run();
    assertTrue(endedFirst[0], "the state is saved from the final model");
  }

  /** A pump that has read all of an empty standard input into {@code q}. */
  private static InputPump emptyStdin(ChunkQueue q) throws IOException {
    InputPump pump =
        new InputPump(List.of(InputPump.Source.stdin(new ByteArrayInputStream(new byte[0]))), q, 5);
    pump.run();
    return pump;
  }
}
