package io.ursprung.plugin.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ursprung.events.EventData;
import io.ursprung.events.FileAccess;
import io.ursprung.events.Ipc;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.SocketActivity;
import io.ursprung.plugin.audit.AuditFixture;
import io.ursprung.plugin.audit.AuditStats;
import io.ursprung.plugin.audit.AuditStreamProcessor;
import io.ursprung.plugin.sink.EventSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the real etl-bob captures (plugin stream with EOE, and audit.log without) and checks the
 * graph facts the capture's README lists, as far as this stage produces them. Expectations were
 * taken from the captures themselves (pids, serials, saddr bytes).
 */
class EtlCaptureReplayTest {
  private static final Path DIR = Path.of("../../shared/testdata/audit");
  private static final String ETL = "/home/bob/etl/";

  private static List<ProvEvent> replay(String name) throws IOException {
    Path file = DIR.resolve(name);
    if (!Files.exists(file)) {
      fail(
          "real capture missing: "
              + file.toAbsolutePath().normalize()
              + " (expected /work/shared/testdata/audit beside the repository)");
    }
    byte[] all = Files.readAllBytes(file);
    List<ProvEvent> out = new ArrayList<>();
    EventSink sink =
        new EventSink() {
          @Override
          public void accept(ProvEvent event) {
            out.add(event);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    AuditStreamProcessor p =
        new AuditStreamProcessor(
            "fallback", AuditFixture.PRODUCER, sink, u -> null, g -> null, 2000, false);
    int s = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        p.acceptLine(all, s, i - s);
        s = i + 1;
      }
    }
    p.endOfInput();
    AuditStats st = p.stats();
    assertEquals(0, st.malformed(), "malformed lines in " + name);
    assertEquals(1163, st.auditEvents(), "audit events in " + name);
    assertEquals(0, p.lateRecords());
    return out;
  }

  private static <T extends EventData> List<T> of(List<ProvEvent> evs, Class<T> type) {
    return evs.stream().map(ProvEvent::data).filter(type::isInstance).map(type::cast).toList();
  }

  private static ProcessExec exec(List<ProvEvent> evs, Predicate<List<String>> argv) {
    List<ProcessExec> m =
        of(evs, ProcessExec.class).stream().filter(e -> argv.test(e.argv())).toList();
    assertEquals(1, m.size(), "one exec matching, got " + m);
    return m.get(0);
  }

  private static ProcessExec exec(List<ProvEvent> evs, String... argv) {
    return exec(evs, a -> a.equals(List.of(argv)));
  }

  private static List<FileAccess> files(List<ProvEvent> evs, ProcessRef p, FileAccess.Op op) {
    return of(evs, FileAccess.class).stream()
        .filter(f -> f.process().equals(p) && f.op() == op)
        .toList();
  }

  private static Optional<FileAccess> open(List<ProvEvent> evs, ProcessRef p, String path) {
    return files(evs, p, FileAccess.Op.OPEN).stream()
        .filter(f -> f.path().equals(path))
        .findFirst();
  }

  @ParameterizedTest
  @ValueSource(strings = {"etl-bob.plugin-stream.log", "etl-bob.audit.log"})
  void graphFactsOfTheEtlRun(String capture) throws IOException {
    List<ProvEvent> evs = replay(capture);
    assertTrue(evs.stream().allMatch(e -> e.host().equals("worker01")));
    Set<String> ids = new HashSet<>();
    evs.forEach(e -> assertTrue(ids.add(e.id()), "duplicate id " + e.id()));

    // the script's shell: bash execs the #! script, whose text is an input
    ProcessExec script = exec(evs, "/bin/bash", "/home/bob/etl/etl.sh");
    ProcessRef sh = script.process();
    assertEquals(9427, sh.pid());
    assertTrue(open(evs, sh, ETL + "etl.sh").isPresent());

    // in/part*.csv written by the shell itself (printf is a builtin); closed for writing
    for (int i = 1; i <= 3; i++) {
      String part = ETL + "in/part" + i + ".csv";
      FileAccess o = open(evs, sh, part).orElseThrow(() -> new AssertionError(part));
      assertEquals(true, o.write());
      assertEquals(true, o.create());
      assertTrue(files(evs, sh, FileAccess.Op.CLOSE).stream().anyMatch(c -> c.path().equals(part)));
    }

    // gcc toolchain: cc1 (vfork'd, its exec arrives before the vfork record) reads extract.c,
    // ld writes extract
    ProcessExec gcc = exec(evs, "gcc", "-O1", "-o", "extract", "extract.c");
    ProcessExec cc1 = exec(evs, a -> a.get(0).endsWith("/cc1"));
    ProcessStarted cc1Start = started(evs, cc1.process());
    assertEquals("vfork", cc1Start.how());
    assertEquals(gcc.process(), cc1Start.parent());
    assertTrue(open(evs, cc1.process(), ETL + "extract.c").isPresent());
    ProcessExec ld = exec(evs, a -> a.get(0).equals("/usr/bin/ld"));
    FileAccess extractOut = open(evs, ld.process(), ETL + "extract").orElseThrow();
    assertEquals(true, extractOut.write());
    ProcessExec as = exec(evs, a -> a.get(0).equals("as"));
    assertEquals("vfork", started(evs, as.process()).how());

    // cat writes in/all.csv via the shell's redirect in the forked child, reads the parts
    ProcessExec cat = exec(evs, "cat", "in/part1.csv", "in/part2.csv", "in/part3.csv");
    assertEquals("/home/bob/etl", cat.cwd());
    assertEquals(true, open(evs, cat.process(), ETL + "in/all.csv").orElseThrow().write());
    for (int i = 1; i <= 3; i++) {
      assertEquals(
          true, open(evs, cat.process(), ETL + "in/part" + i + ".csv").orElseThrow().read());
    }
    assertTrue(
        files(evs, cat.process(), FileAccess.Op.CLOSE).stream()
            .anyMatch(c -> c.path().equals(ETL + "in/all.csv") && c.write()));

    // ./extract in/all.csv out/rows.csv
    ProcessExec extract = exec(evs, "./extract", "in/all.csv", "out/rows.csv");
    assertEquals("/home/bob/etl", extract.cwd());
    assertEquals("/home/bob/etl/extract", extract.exe());
    assertEquals(true, open(evs, extract.process(), ETL + "in/all.csv").orElseThrow().read());
    FileAccess rows = open(evs, extract.process(), ETL + "out/rows.csv").orElseThrow();
    assertEquals(true, rows.write());
    assertEquals(true, rows.truncate());
    assertTrue(
        files(evs, extract.process(), FileAccess.Op.CLOSE).stream()
            .anyMatch(c -> c.path().equals(ETL + "out/rows.csv")));

    // sort | uniq | gzip > out/rows.sorted.gz: two pipes, one Ipc each
    ProcessRef sort = exec(evs, "sort", "-t,", "-k1", "-n", "out/rows.csv").process();
    ProcessRef uniq = exec(evs, "uniq").process();
    ProcessRef gzip = exec(evs, "gzip").process();
    assertEquals(true, open(evs, sort, ETL + "out/rows.csv").orElseThrow().read());
    assertEquals(true, open(evs, gzip, ETL + "out/rows.sorted.gz").orElseThrow().write());
    List<Ipc> ipc = of(evs, Ipc.class);
    assertEquals(2, ipc.size(), ipc.toString());
    assertEquals(sort, ipc.get(0).writer());
    assertEquals(uniq, ipc.get(0).reader());
    assertEquals(uniq, ipc.get(1).writer());
    assertEquals(gzip, ipc.get(1).reader());
    assertFalse(ipc.get(0).channel().equals(ipc.get(1).channel()));

    // python3 - reads the gzip output and writes the .part file; mv renames it
    ProcessRef py = exec(evs, "python3", "-").process();
    assertEquals(true, open(evs, py, ETL + "out/rows.sorted.gz").orElseThrow().read());
    assertEquals(true, open(evs, py, ETL + "out/summary.json.part").orElseThrow().write());
    ProcessRef mv = exec(evs, "mv", "out/summary.json.part", "out/summary.json").process();
    FileAccess rename = files(evs, mv, FileAccess.Op.RENAME).get(0);
    assertEquals(ETL + "out/summary.json.part", rename.path());
    assertEquals(ETL + "out/summary.json", rename.targetPath());
    assertEquals(1532081L, rename.inode());

    // ln -sf and ln
    ProcessRef lns = exec(evs, "ln", "-sf", "out/summary.json", "latest.json").process();
    FileAccess sym = files(evs, lns, FileAccess.Op.SYMLINK).get(0);
    assertEquals(ETL + "out/summary.json", sym.path());
    assertEquals(ETL + "latest.json", sym.targetPath());
    ProcessRef ln = exec(evs, "ln", "out/rows.csv", "out/rows.hardlink.csv").process();
    FileAccess link = files(evs, ln, FileAccess.Op.LINK).get(0);
    assertEquals(ETL + "out/rows.csv", link.path());
    assertEquals(ETL + "out/rows.hardlink.csv", link.targetPath());

    // rm in/part2.csv
    ProcessRef rm = exec(evs, "rm", "in/part2.csv").process();
    FileAccess unlink = files(evs, rm, FileAccess.Op.UNLINK).get(0);
    assertEquals(ETL + "in/part2.csv", unlink.path());
    assertEquals(1531985L, unlink.inode());

    // ls /nonexistent exits 2
    ProcessRef ls = exec(evs, "ls", "/nonexistent").process();
    ProcessExited lsExit = exited(evs, ls).orElseThrow();
    assertEquals(2, lsExit.exitCode());
    assertEquals("exit_group", lsExit.how());

    // the http.server binds 127.0.0.1:8765, the client connects, the server accepts and reads
    ProcessRef srv =
        exec(evs, "python3", "-m", "http.server", "8765", "--bind", "127.0.0.1").process();
    SocketActivity bind = socket(evs, srv, "bind");
    assertEquals("inet", bind.family());
    assertEquals("127.0.0.1", bind.address());
    assertEquals(8765, bind.port());
    ProcessRef client =
        exec(evs, a -> a.get(0).equals("python3") && a.get(1).equals("-c")).process();
    SocketActivity connect = socket(evs, client, "connect");
    assertEquals("127.0.0.1", connect.address());
    assertEquals(8765, connect.port());
    assertEquals(0L, connect.result());
    SocketActivity accept = socket(evs, srv, "accept");
    assertEquals(35766, accept.port());
    assertTrue(open(evs, srv, ETL + "out/summary.json").isPresent());
    // killed by a signal: its handler thread's exit is not the process's, and nothing else ends it
    assertTrue(exited(evs, srv).isEmpty(), "the killed server has no exit");
    assertEquals(
        1, of(evs, ProcessStarted.class).stream().filter(s -> s.process().equals(srv)).count());

    // tar reads both and writes the archive
    ProcessRef tar =
        exec(evs, "tar", "cf", "out/archive.tar", "out/summary.json", "out/rows.csv").process();
    assertEquals(true, open(evs, tar, ETL + "out/archive.tar").orElseThrow().create());
    assertTrue(open(evs, tar, ETL + "out/summary.json").isPresent());
    assertTrue(open(evs, tar, ETL + "out/rows.csv").isPresent());

    // every process is announced once and before anything else about it
    Set<ProcessRef> announced = new HashSet<>();
    for (ProvEvent e : evs) {
      if (e.data() instanceof ProcessStarted s) {
        assertTrue(announced.add(s.process()), "announced twice: " + s.process());
      } else {
        ProcessRef p = processOf(e.data());
        if (p != null) {
          assertTrue(announced.contains(p), "used before announced: " + e);
        }
      }
    }
    // every path is absolute and normalised
    for (FileAccess f : of(evs, FileAccess.class)) {
      assertTrue(
          f.path().startsWith("/") && !f.path().contains("/./") && !f.path().contains("//"),
          f.path());
    }
  }

  @Test
  void bothCapturesGiveTheSameProvenance() throws IOException {
    List<ProvEvent> stream = replay("etl-bob.plugin-stream.log");
    List<ProvEvent> log = replay("etl-bob.audit.log");
    assertEquals(
        stream.stream().map(ProvEvent::toString).sorted().collect(Collectors.toList()),
        log.stream().map(ProvEvent::toString).sorted().collect(Collectors.toList()));
  }

  private static ProcessStarted started(List<ProvEvent> evs, ProcessRef p) {
    return of(evs, ProcessStarted.class).stream()
        .filter(s -> s.process().equals(p))
        .findFirst()
        .orElseThrow();
  }

  private static Optional<ProcessExited> exited(List<ProvEvent> evs, ProcessRef p) {
    return of(evs, ProcessExited.class).stream().filter(x -> x.process().equals(p)).findFirst();
  }

  private static SocketActivity socket(List<ProvEvent> evs, ProcessRef p, String op) {
    return of(evs, SocketActivity.class).stream()
        .filter(s -> s.process().equals(p) && s.op().equals(op))
        .findFirst()
        .orElseThrow(() -> new AssertionError(op + " of " + p));
  }

  private static ProcessRef processOf(EventData d) {
    if (d instanceof ProcessExec x) {
      return x.process();
    } else if (d instanceof ProcessExited x) {
      return x.process();
    } else if (d instanceof FileAccess x) {
      return x.process();
    } else if (d instanceof SocketActivity x) {
      return x.process();
    }
    return null;
  }
}
