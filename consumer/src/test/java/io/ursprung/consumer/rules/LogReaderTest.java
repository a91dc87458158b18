package io.ursprung.consumer.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
  @TempDir Path dir;

  private static void append(Path f, String s) throws Exception {
    Files.writeString(
        f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void aPartialLineWaitsForItsEndAndTheOffsetStaysBeforeIt() throws Exception {
    Path f = dir.resolve("a.log");
    append(f, "one\r\ntwo\nthr");
    List<String> lines = new ArrayList<>();
    long off = LogReader.read(f, 0, false, lines::add);
    assertEquals(List.of("one", "two"), lines);
    assertEquals(9, off);
    append(f, "ee\n");
    lines.clear();
    off = LogReader.read(f, off, false, lines::add);
    assertEquals(List.of("three"), lines);
    assertEquals(Files.size(f), off);
    lines.clear();
    assertEquals(off, LogReader.read(f, off, false, lines::add));
    assertEquals(List.of(), lines);
  }

  @Test
  void toEndHandsOverAnUnterminatedLastLine() throws Exception {
    Path f = dir.resolve("b.log");
    append(f, "x\ny");
    List<String> lines = new ArrayList<>();
    assertEquals(3, LogReader.read(f, 0, true, lines::add));
    assertEquals(List.of("x", "y"), lines);
  }

  @Test
  void linesLongerThanABufferAndMultibyteTextSurvive() throws Exception {
    Path f = dir.resolve("c.log");
    String big = "é".repeat(100_000);
    append(f, big + "\nend\n");
    List<String> lines = new ArrayList<>();
    LogReader.read(f, 0, false, lines::add);
    assertEquals(List.of(big, "end"), lines);
  }

  @Test
  void rotatedFilesAreFoundByInode() throws Exception {
    Path f = dir.resolve("d.log");
    append(f, "old\n");
    long inode = LogReader.inode(f);
    Path rotated = dir.resolve("d.log.1");
    Files.move(f, rotated);
    append(f, "new\n");
    assertEquals(rotated, LogReader.findByInode(dir, inode));
    assertNull(LogReader.inode(dir.resolve("missing")));
  }

  @Test
  void positionStateRoundTrips() {
    LogReader.Position p = new LogReader.Position(1234, 98765);
    assertEquals(p, LogReader.Position.parse(p.format()));
    assertNull(LogReader.Position.parse(null));
    assertThrows(IllegalArgumentException.class, () -> LogReader.Position.parse("inode=3"));
  }
}
