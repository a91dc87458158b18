package io.ursprung.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.UrsprungVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PluginCommandTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new PluginCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void versionAndHelp() {
    Run v = run("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().contains(UrsprungVersion.get()), v.out());
    Run h = run("--help");
    assertEquals(0, h.code());
    assertTrue(h.out().contains("--input") && h.out().contains("--output"), h.out());
  }

  @Test
  void configKeysPrintsTheReferenceTable() {
    Run r = run("--config-keys");
    assertEquals(0, r.code());
    for (String key :
        new String[] {
          "kafka.bootstrap.servers",
          "plugin.topic",
          "plugin.host",
          "plugin.event.timeout.ms",
          "plugin.emit.raw.syscalls",
          "plugin.spool.dir",
          "plugin.spool.max.bytes",
          "plugin.stats.interval.seconds",
          "plugin.host.status.interval.seconds",
          "kafka.*"
        }) {
      assertTrue(r.out().contains("`" + key + "`"), key + " in\n" + r.out());
    }
  }

  @Test
  void aBadConfigurationListsEveryProblemAndExits2(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("plugin.properties");
    Files.writeString(
        conf, "plugin.topic=has space\nplugin.spool.max.bytes=tiny\nplugin.tpoic=x\n");
    Run r = run("--config", conf.toString(), "--host", "bad host", "--output", "jsonl:-");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("4 configuration problems"), r.err());
    assertTrue(r.err().contains("plugin.host (from command line)"), r.err());
  }

  @Test
  void aHostNodeIdsCannotNameIsAConfigurationProblem() {
    // The consumers would dead-letter every event of such a host (node ids embed it).
    Run r = run("--host", "worker:01", "--output", "jsonl:-");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("must be a host name"), r.err());
  }

  @Test
  void outputMustBeJsonLines() {
    assertEquals(Optional.empty(), PluginCommand.parseOutput(null));
    assertEquals(Optional.of(Path.of("-")), PluginCommand.parseOutput("jsonl:-"));
    assertEquals(Optional.of(Path.of("/tmp/x")), PluginCommand.parseOutput("jsonl:/tmp/x"));
    assertThrows(IllegalArgumentException.class, () -> PluginCommand.parseOutput("kafka"));
    assertThrows(IllegalArgumentException.class, () -> PluginCommand.parseOutput("jsonl:"));
    assertEquals(2, run("--output", "csv:x").code());
  }

  @Test
  void missingInputIsAUsageError(@TempDir Path dir) {
    Run r = run("--input", dir.resolve("none.log").toString(), "--output", "jsonl:-");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("none.log"), r.err());
  }

  /** The real captures in the shared test data, beside the repository. */
  private static Path testdata() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("shared/testdata/audit");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    return null;
  }

  @Test
  void replaysARealAuditLogToJsonLines(@TempDir Path dir) throws Exception {
    Path data = testdata();
    org.junit.jupiter.api.Assumptions.assumeTrue(data != null, "shared/testdata not found");
    Path out = dir.resolve("events.jsonl");
    Run r =
        run(
            "--input",
            data.resolve("etl-bob.audit.log").toString(),
            "--output",
            "jsonl:" + out,
            "--host",
            "fallback");
    assertEquals(0, r.code(), r.err());
    java.util.List<String> lines = Files.readAllLines(out);
    assertTrue(lines.size() > 100, "events: " + lines.size());
    io.ursprung.events.EventCodec codec = new io.ursprung.events.EventCodec();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (String line : lines) {
      io.ursprung.events.ProvEvent e = codec.fromJson(line);
      assertEquals("worker01", e.host(), "node= wins over --host");
      assertTrue(ids.add(e.id()), "duplicate id " + e.id());
    }
  }

  @Test
  void theInstallNotesCarryTheCurrentKeyTable() throws Exception {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/auditd-plugin.md"))) {
      dir = dir.getParent();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(dir != null, "docs/ not found");
    String doc = Files.readString(dir.resolve("docs/auditd-plugin.md"));
    assertTrue(
        doc.contains(PluginConfig.DEF.toMarkdownTable()),
        "docs/auditd-plugin.md is stale: paste the output of `ursprung plugin --config-keys`");
  }

  @Test
  void defaultsMatchTheIssue() {
    PluginConfig.Settings s =
        PluginConfig.Settings.of(PluginConfig.DEF.parse(Map.of(), Map.of(), Map.of()));
    assertEquals(java.util.List.of("localhost:9092"), s.bootstrapServers());
    assertEquals("auditd", s.topic());
    assertEquals(2000, s.eventTimeoutMillis());
    assertEquals(false, s.emitRawSyscalls());
    assertEquals(Path.of("/var/spool/ursprung/plugin"), s.spoolDir());
    assertEquals(1L << 30, s.spoolMaxBytes());
    assertEquals(60, s.statsIntervalSeconds());
    assertTrue(!s.host().isBlank());
  }

  @Test
  void identitiesSavedByOneInstanceAreRestoredByTheNext(@TempDir Path tmp) throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isReadable(Path.of("/proc/self/stat")), "needs Linux's /proc");
    int self = (int) ProcessHandle.current().pid();
    java.time.Instant cloned = java.time.Instant.ofEpochSecond(1_700_000_000L, 42_000_000);
    Path state = tmp.resolve("lib/plugin.state");
    RecordingProcessor first = new RecordingProcessor();
    first.live =
        java.util.List.of(
            new io.ursprung.events.ProcessRef(self, cloned),
            new io.ursprung.events.ProcessRef(999_999_999, cloned)); // no such process: left out
    new PluginCommand.StateSaver(first, new io.ursprung.plugin.model.ProcFs(), state).save();
    assertEquals(1, Files.readAllLines(state).size(), Files.readString(state));

    RecordingProcessor second = new RecordingProcessor();
    PluginCommand.seedRunningProcesses(second, new io.ursprung.plugin.model.ProcFs(), 0, state);
    assertEquals(cloned, second.restored.get(self), second.restored.toString());

    // an unreadable state file (here a directory) costs only the restore, not the seed
    RecordingProcessor third = new RecordingProcessor();
    PluginCommand.seedRunningProcesses(
        third, new io.ursprung.plugin.model.ProcFs(), 0, state.getParent());
    assertEquals(Map.of(), third.restored);
    assertTrue(third.seeded.processes().stream().anyMatch(p -> p.pid() == self));
  }

  @Test
  void periodicSavesWriteOffTheProcessingThreadAndNeverReplaceANewerSave(@TempDir Path tmp)
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isReadable(Path.of("/proc/self/stat")), "needs Linux's /proc");
    int self = (int) ProcessHandle.current().pid();
    Path state = tmp.resolve("plugin.state");
    RecordingProcessor p = new RecordingProcessor();
    PluginCommand.StateSaver saver =
        new PluginCommand.StateSaver(p, new io.ursprung.plugin.model.ProcFs(), state);
    p.live = java.util.List.of(new io.ursprung.events.ProcessRef(self, java.time.Instant.EPOCH));
    saver.writeLater();
    for (int i = 0; i < 100 && !Files.exists(state); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.readString(state).contains(" 0 0"), Files.readString(state));
    // periodic writes queued from older snapshots, then the save at exit from a newer one: the
    // queued ones mostly run after it and must be dropped, not put the old identities back
    for (int i = 0; i < 50; i++) {
      saver.writeLater();
    }
    java.time.Instant later = java.time.Instant.ofEpochSecond(1_700_000_000L);
    p.live = java.util.List.of(new io.ursprung.events.ProcessRef(self, later));
    saver.save();
    String last = Files.readString(state);
    assertTrue(last.contains(" 1700000000 0"), last);
    Thread.sleep(500);
    assertEquals(last, Files.readString(state));
  }
}
