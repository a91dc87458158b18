package io.ursprung.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.EventData;
import io.ursprung.events.FileAccess;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@code ursprung run} reports, from events shaped like the plugin's. */
class RunReportTest {

  private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
  private final List<ProvEvent> events = new ArrayList<>();
  private final ProcessRef sh = new ProcessRef(100, T);
  private final ProcessRef sort = new ProcessRef(101, T.plusMillis(5));
  private final ProcessRef mv = new ProcessRef(102, T.plusMillis(9));

  private void add(EventData d) {
    events.add(
        ProvEvent.of(
            "h:auditd:" + events.size() + ":0",
            new Producer("test", "1"),
            "h",
            T.plusMillis(events.size()),
            d));
  }

  private static FileAccess open(ProcessRef p, String path, boolean read, boolean write) {
    return new FileAccess(
        p,
        FileAccess.Op.OPEN,
        path,
        1L,
        "8:1",
        3,
        "0x0",
        read,
        write,
        write,
        write,
        null,
        null,
        "file");
  }

  private void shellSortsAndRenames() {
    add(
        new ProcessExec(
            sh,
            "/usr/bin/dash",
            null,
            null,
            List.of("sh", "-c", "sort in > out; mv out final"),
            "/w",
            null,
            "execve"));
    add(new ProcessStarted(sort, sh, 100, null, null, null, "/w", null, null, "fork"));
    add(open(sort, "/w/out", false, true));
    add(
        new ProcessExec(
            sort, "/usr/bin/sort", null, null, List.of("sort", "in"), "/w", null, "execve"));
    add(open(sort, "/etc/ld.so.cache", true, false));
    add(open(sort, "/w/in", true, false));
    add(new ProcessExited(sort, 0, null, "exit_group"));
    add(new ProcessStarted(mv, sh, 100, null, null, null, "/w", null, null, "fork"));
    add(
        new ProcessExec(
            mv, "/usr/bin/mv", null, null, List.of("mv", "out", "final"), "/w", null, "execve"));
    add(
        new FileAccess(
            mv,
            FileAccess.Op.RENAME,
            "/w/out",
            1L,
            "8:1",
            null,
            null,
            null,
            null,
            null,
            null,
            "/w/final",
            1L,
            "file"));
    add(new ProcessExited(mv, 0, null, "exit_group"));
    add(new ProcessExited(sh, 3, null, "exit_group"));
  }

  @Test
  void inputsAreReadNotWrittenBeforeAndOutputsKeepTheirFinalName() {
    shellSortsAndRenames();
    RunReport r = RunReport.of(events);
    assertTrue(r.inputs.contains("/w/in"), r.inputs.toString());
    assertEquals(Set.of("/w/final"), r.outputs);
    assertEquals(3, r.processes.size());
  }

  @Test
  void aFileReadAfterTheRunWroteItIsNotAnInput() {
    add(new ProcessExec(sh, "/usr/bin/dash", null, null, List.of("sh"), "/w", null, "execve"));
    add(open(sh, "/w/tmp", false, true));
    add(open(sh, "/w/tmp", true, false));
    add(
        new FileAccess(
            sh,
            FileAccess.Op.UNLINK,
            "/w/tmp",
            1L,
            "8:1",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "file"));
    RunReport r = RunReport.of(events);
    assertFalse(r.inputs.contains("/w/tmp"), r.inputs.toString());
    assertTrue(r.outputs.isEmpty(), "a removed temporary file is no output: " + r.outputs);
  }

  @Test
  void formatListsUserFilesCountsSystemFilesAndIndentsTheTree() {
    shellSortsAndRenames();
    String text =
        RunReport.of(events).format(100, 3, false, "http://localhost:3000/#/graph?node=x");
    assertEquals(
        String.join(
            "\n",
            "Inputs (1):",
            "  /w/in",
            "  + 4 system files (programs, libraries, /etc, /proc); --all lists them",
            "Outputs (1):",
            "  /w/final",
            "Processes (3):",
            "  100      exit 3    sh -c 'sort in > out; mv out final'   (in /w)",
            "  101      exit 0      sort in   (in /w)",
            "  102      exit 0      mv out final   (in /w)",
            "Command exit status: 3",
            "Graph: http://localhost:3000/#/graph?node=x",
            ""),
        text);
    String all = RunReport.of(events).format(100, 3, true, null);
    assertTrue(all.contains("  /usr/bin/sort\n"), all);
    assertTrue(all.contains("  /etc/ld.so.cache\n"), all);
    assertFalse(all.contains("Graph:"), all);
  }

  @Test
  void commandLinesAreQuotedForTheShell() {
    assertEquals(
        "python3 train.py --lr=0.1",
        RunReport.commandLine(List.of("python3", "train.py", "--lr=0.1")));
    assertEquals("echo 'a b' 'it'\\''s'", RunReport.commandLine(List.of("echo", "a b", "it's")));
    assertEquals("?", RunReport.commandLine(List.of()));
  }
}
