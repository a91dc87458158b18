package io.ursprung.provd.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.provd.spool.JobRecord;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JobRecordWriterTest {
  @TempDir Path spool;

  private List<Path> files() throws Exception {
    try (Stream<Path> s = Files.list(spool)) {
      return s.sorted().toList();
    }
  }

  @Test
  void writesOneCompletePrivateJsonFileAndNoTemporaryOne() throws Exception {
    JobRecord r =
        new JobRecord(
            "c1:slurm:4711:2026-11-20T09:14:03Z",
            "queued",
            "alice",
            Instant.parse("2026-11-20T09:14:03.512Z"),
            Map.of("localJobId", "4711", "queue", "gpu"));
    Path p = JobRecordWriter.write(spool, r);
    assertEquals(List.of(p), files(), "the temporary name is gone");
    assertTrue(p.getFileName().toString().endsWith(".json"));
    assertTrue(!p.getFileName().toString().startsWith("."));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    assertEquals(r, JobRecord.parse(Files.readAllBytes(p)), "what the uploader reads back");
  }

  @Test
  void aRecordTheUploaderWouldRefuseIsNotWritten() {
    JobRecord r = new JobRecord("j", "queued", "not a user!", Instant.now(), Map.of());
    org.junit.jupiter.api.Assertions.assertThrows(
        JobRecord.InvalidRecordException.class, () -> JobRecordWriter.write(spool, r));
  }

  private int run(StringWriter err, String... args) {
    CommandLine cl = JobCommand.commandLine();
    cl.setErr(new PrintWriter(err, true));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  @Test
  void stageCommandsWriteTheirAttributes() throws Exception {
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        run(
            err,
            "finished",
            "--spool",
            spool.toString(),
            "--job-id",
            "j1",
            "--user",
            "alice",
            "--time",
            "2026-11-20T10:00:00Z",
            "--state",
            "fail-resource-limit",
            "--exit-code",
            "137",
            "--elapsed",
            "1-00:00:01",
            "--lrm-finish-time",
            "@1790000000"),
        err.toString());
    JobRecord r = JobRecord.parse(Files.readAllBytes(files().get(0)));
    assertEquals("finished", r.stage());
    assertEquals("alice", r.user());
    assertEquals("FAIL_RESOURCE_LIMIT", r.attributes().get("finalState"));
    assertEquals("137", r.attributes().get("exitCode"));
    assertEquals("86401", r.attributes().get("elapsedSeconds"));
    assertEquals("2026-11-20T10:00:00Z", r.attributes().get("serviceFinishTime"));
    assertEquals(Instant.ofEpochSecond(1790000000).toString(), r.attributes().get("lrmFinishTime"));

    assertEquals(
        2,
        run(err, "cancelled", "--spool", spool.toString(), "--job-id", "j1", "--reason", "bored"));
    assertTrue(err.toString().contains("--reason must be"), err.toString());

    assertEquals(
        0,
        run(
            err,
            "started",
            "--spool",
            spool.toString(),
            "--job-id",
            "j2",
            "--user",
            "alice",
            "--this-session"));
    JobRecord s =
        files().stream()
            .map(
                f -> {
                  try {
                    return JobRecord.parse(Files.readAllBytes(f));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .filter(x -> x.stage().equals("started"))
            .findFirst()
            .orElseThrow();
    int[] mine = JobCommand.sessionOf("self");
    assertEquals(String.valueOf(mine[1]), s.attributes().get("sessionId"));
    assertEquals(String.valueOf(mine[0]), s.attributes().get("processGroupId"));
  }

  @Test
  void importAccountingWritesOneRecordPerFinishedJob() throws Exception {
    Path sacct = Files.createTempFile("sacct", ".txt");
    try {
      Files.writeString(
          sacct,
          "JobID|User|Submit|Start|End|Elapsed|UserCPU|SystemCPU|State\n"
              + "5|alice|2026-11-20T08:00:01|2026-11-20T08:00:05|2026-11-20T08:10:00|00:09:55"
              + "|01:00|00:02|COMPLETED\n"
              + "6|bob|2026-11-20T08:00:01|Unknown|Unknown|00:00:00|00:00|00:00|PENDING\n");
      StringWriter err = new StringWriter();
      assertEquals(
          0,
          run(
              err,
              "import-accounting",
              "--spool",
              spool.toString(),
              "--zone",
              "UTC",
              sacct.toString()),
          err.toString());
      assertEquals(1, files().size());
      JobRecord r = JobRecord.parse(Files.readAllBytes(files().get(0)));
      assertEquals("accounting", r.stage());
      assertEquals("alice", r.user());
      assertEquals("slurm:5:2026-11-20T08:00:01Z", r.jobId());
      assertEquals("60", r.attributes().get("userCpuSeconds"));
      assertTrue(err.toString().contains("1 unfinished jobs skipped"), err.toString());
    } finally {
      Files.deleteIfExists(sacct);
    }
  }
}
