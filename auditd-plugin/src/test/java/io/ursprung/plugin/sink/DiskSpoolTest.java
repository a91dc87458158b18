package io.ursprung.plugin.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {

  private static byte[] rec(int i) {
    return ("record-" + i + "-" + "x".repeat(i % 37)).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> drain(DiskSpool spool, int batchSize) throws Exception {
    List<String> out = new ArrayList<>();
    while (true) {
      DiskSpool.Batch b = spool.peek(batchSize, Long.MAX_VALUE);
      if (b.isEmpty()) {
        return out;
      }
      b.records().forEach(r -> out.add(new String(r, StandardCharsets.UTF_8)));
      spool.commit(b);
    }
  }

  private static List<String> expected(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(new String(rec(i), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static long segmentCount(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".spool")).count();
    }
  }

  @Test
  void readsBackInOrderAcrossSegmentsAndRestarts(@TempDir Path dir) throws Exception {
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20, 1024)) {
      assertTrue(spool.isEmpty());
      for (int i = 0; i < 200; i++) {
        assertTrue(spool.append(rec(i)));
      }
      assertEquals(200, spool.pending());
      assertTrue(segmentCount(dir) > 5, "rolled over several segments");
      DiskSpool.Batch first = spool.peek(50, Long.MAX_VALUE);
      assertEquals(50, first.records().size());
      spool.commit(first);
      // Peeked but not committed: must come again after a restart.
      assertEquals(30, spool.peek(30, Long.MAX_VALUE).records().size());
      assertEquals(150, spool.pending());
    }
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20, 1024)) {
      assertEquals(150, spool.pending());
      spool.append(rec(200));
      assertEquals(expected(50, 201), drain(spool, 7));
      assertTrue(spool.isEmpty());
      assertEquals(0, spool.pending());
      assertEquals(1, segmentCount(dir), "read segments are deleted");
    }
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20, 1024)) {
      assertTrue(spool.isEmpty());
      assertEquals(List.of(), drain(spool, 10));
    }
  }

  @Test
  void refusesRecordsBeyondTheBoundAndAcceptsAgainAfterDraining(@TempDir Path dir)
      throws Exception {
    try (DiskSpool spool = DiskSpool.open(dir, 4096, 1024)) {
      int accepted = 0;
      while (spool.append(rec(accepted))) {
        accepted++;
      }
      assertTrue(accepted > 50 && accepted < 200, "accepted " + accepted);
      assertTrue(spool.sizeBytes() <= 4096, "size " + spool.sizeBytes());
      assertFalse(spool.append(rec(accepted)));
      assertEquals(expected(0, accepted), drain(spool, 1000));
      assertTrue(spool.append(rec(1)), "space comes back once read");
    }
  }

  @Test
  void cutsATornTailOnOpen(@TempDir Path dir) throws Exception {
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20, 1 << 16)) {
      for (int i = 0; i < 10; i++) {
        spool.append(rec(i));
      }
    }
    Path seg = onlySegment(dir);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(f.length() - 3); // a crash in the middle of the last write
    }
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20, 1 << 16)) {
      assertEquals(9, spool.pending());
      spool.append(rec(10));
      List<String> want = expected(0, 9);
      want.addAll(expected(10, 11));
      assertEquals(want, drain(spool, 4));
      assertEquals(0, spool.corruptions());
    }
  }

  @Test
  void detectsACorruptRecordWhileReading(@TempDir Path dir) throws Exception {
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20, 1 << 16)) {
      for (int i = 0; i < 10; i++) {
        spool.append(rec(i));
      }
      Path seg = onlySegment(dir);
      byte[] data = Files.readAllBytes(seg);
      int at = indexOf(data, rec(5));
      try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
        f.seek(at + 2);
        f.write('#'); // a flipped byte in record 5's payload
      }
      assertEquals(expected(0, 5), drain(spool, 3));
      assertEquals(1, spool.corruptions());
      // Appends after the damage are still read.
      spool.append(rec(42));
      assertEquals(expected(42, 43), drain(spool, 3));
    }
  }

  @Test
  void detectsCorruptionOnOpenInAnOlderSegment(@TempDir Path dir) throws Exception {
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20, 256)) {
      for (int i = 0; i < 30; i++) {
        spool.append(rec(i));
      }
    }
    Path first;
    try (Stream<Path> s = Files.list(dir)) {
      first = s.filter(p -> p.toString().endsWith(".spool")).sorted().findFirst().orElseThrow();
    }
    byte[] data = Files.readAllBytes(first);
    data[data.length - 2] ^= 0x40;
    Files.write(first, data);
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20, 256)) {
      assertEquals(1, spool.corruptions());
      List<String> got = drain(spool, 100);
      assertTrue(got.size() < 30 && got.size() > 20, got.toString());
      assertEquals(
          expected(30 - (got.size() - indexOfFirstGap(got)), 30),
          got.subList(indexOfFirstGap(got), got.size()));
    }
  }

  private static int indexOfFirstGap(List<String> got) {
    for (int i = 0; i < got.size(); i++) {
      if (!got.get(i).equals(new String(rec(i), StandardCharsets.UTF_8))) {
        return i;
      }
    }
    return got.size();
  }

  private static Path onlySegment(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> segs = s.filter(p -> p.toString().endsWith(".spool")).toList();
      assertEquals(1, segs.size());
      return segs.get(0);
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
