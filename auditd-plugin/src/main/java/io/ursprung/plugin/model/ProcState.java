package io.ursprung.plugin.model;

import io.ursprung.events.ProcessRef;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The process identities a plugin instance hands to the next one. A process the model learnt from
 * its clone record is named by the clone's audit time; after a restart, /proc gives it another
 * start time (whole-second boot time + 10 ms ticks), and the database would hold two processes for
 * one. So each known process is saved with the start time /proc gives it now, and the next instance
 * takes the saved identity for a scanned process whose pid and /proc start time are the same (a
 * reused pid has another /proc start time).
 *
 * <p>Format: one line per process, {@code pid procStartMs refStartEpochSecond refStartNano}; lines
 * that do not parse are skipped.
 */
public final class ProcState {
  private ProcState() {}

  /**
   * One saved process.
   *
   * @param pid process id
   * @param procStartMs start time as {@link ProcScan} gave it when saved
   * @param refStart start time of the process's identity
   */
  public record Entry(int pid, long procStartMs, Instant refStart) {}

  /**
   * What a state file held.
   *
   * @param entries the lines that parsed
   * @param skipped non-blank lines that did not parse
   */
  public record Saved(List<Entry> entries, int skipped) {
    public Saved {
      entries = List.copyOf(entries);
    }
  }

  /**
   * Reads a state file; a missing one holds nothing (the first start).
   *
   * @throws IOException when it exists but cannot be read
   */
  public static Saved load(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return new Saved(List.of(), 0);
    }
    List<Entry> out = new ArrayList<>();
    int skipped = 0;
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      Entry e = parse(line.trim());
      if (e == null) {
        skipped++;
      } else {
        out.add(e);
      }
    }
    return new Saved(out, skipped);
  }

  private static Entry parse(String line) {
    String[] f = line.split(" +");
    if (f.length != 4) {
      return null;
    }
    try {
      int pid = Integer.parseInt(f[0]);
      long nano = Long.parseLong(f[3]);
      if (pid < 1 || nano < 0 || nano > 999_999_999) {
        return null;
      }
      return new Entry(
          pid, Long.parseLong(f[1]), Instant.ofEpochSecond(Long.parseLong(f[2]), nano));
    } catch (NumberFormatException | java.time.DateTimeException e) {
      return null;
    }
  }

  /**
   * The saved start of each scanned process that is still the saved one: same pid and same /proc
   * start time.
   */
  public static Map<Integer, Instant> restoredStarts(
      List<Entry> saved, List<RunningProcess> scanned) {
    Map<Integer, Entry> byPid = new HashMap<>();
    for (Entry e : saved) {
      byPid.put(e.pid(), e);
    }
    Map<Integer, Instant> out = new HashMap<>();
    for (RunningProcess r : scanned) {
      Entry e = byPid.get(r.pid());
      if (e != null && e.procStartMs() == r.startMs()) {
        out.put(r.pid(), e.refStart());
      }
    }
    return out;
  }

  /**
   * Writes the identities of live processes with their /proc start times now; a process whose /proc
   * entry cannot be read (ended meanwhile) is left out. The file is replaced atomically, so a
   * reader (or a kill during the write) sees the old file or the new one, never a part.
   *
   * @return the number of processes written
   */
  public static int save(Path file, Collection<ProcessRef> live, ProcSource src)
      throws IOException {
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (ProcessRef ref : live) {
      long procStartMs;
      try {
        procStartMs = ProcScan.startMs(src, ref.pid());
      } catch (IOException | RuntimeException e) {
        continue;
      }
      b.append(ref.pid())
          .append(' ')
          .append(procStartMs)
          .append(' ')
          .append(ref.start().getEpochSecond())
          .append(' ')
          .append(ref.start().getNano())
          .append('\n');
      n++;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir); // /var/lib/ursprung on a host where nothing made it yet
    // in the target's directory: a rename within one file system is atomic
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
        w.write(b.toString());
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    return n;
  }
}
