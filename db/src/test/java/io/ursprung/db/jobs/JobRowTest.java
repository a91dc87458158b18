package io.ursprung.db.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRowTest {
  private static final Instant T = Instant.parse("2026-11-20T09:14:03.512Z");

  private static Object value(JobRow r, String column) {
    return r.values().get(r.columns().indexOf(column));
  }

  @Test
  void finishedRecordIsTypedAndTimesDefaultToTheRecordTime() {
    JobRow r =
        JobRow.of(
            "e1",
            "node1",
            "j1",
            "finished",
            "alice",
            T,
            Map.of(
                "finalState", "fail-resource-limit",
                "exitCode", "137",
                "elapsedSeconds", "12.5",
                "lrmFinishTime", "2026-11-20T10:14:03+01:00",
                "unknownLater", "ignored"));
    assertEquals("job_finished", r.table());
    assertEquals("FAIL_RESOURCE_LIMIT", value(r, "final_state"));
    assertEquals(137, value(r, "exit_code"));
    assertEquals(new BigDecimal("12.5"), value(r, "elapsed_seconds"));
    assertEquals(T.atOffset(ZoneOffset.UTC), value(r, "service_finish_time"));
    assertEquals(
        OffsetDateTime.parse("2026-11-20T09:14:03Z"), value(r, "lrm_finish_time"), "in UTC");
    assertEquals("j1", value(r, "job_id"));
  }

  @Test
  void startedDefaultsTheExecutingHostAndAccountingUsesRecordId() {
    JobRow s = JobRow.of("e2", "node7", "j1", "started", "alice", T, Map.of("sessionId", "42"));
    assertEquals("node7", value(s, "executing_host"));
    assertEquals(42, value(s, "session_id"));
    JobRow a =
        JobRow.of("e3", "login", "slurm:1:x", "accounting", "bob", T, Map.of("localJobId", "1"));
    assertEquals("job_accounting", a.table());
    assertEquals("slurm:1:x", value(a, "record_id"));
  }

  @Test
  void everyProblemIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JobRow.of(
                    "e",
                    "h",
                    "j",
                    "finished",
                    "alice",
                    T,
                    Map.of("exitCode", "zero", "elapsedSeconds", "-1")));
    assertTrue(e.getMessage().contains("exitCode"), e.getMessage());
    assertTrue(e.getMessage().contains("elapsedSeconds"), e.getMessage());
    assertTrue(e.getMessage().contains("finalState is required"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> JobRow.of("e", "h", "j", "queued", "alice", T, Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> JobRow.of("e", "h", "j", "cancelled", "alice", T, Map.of("reason", "bored")));
    assertThrows(
        IllegalArgumentException.class,
        () -> JobRow.of("e", "h", "j", "deleted", "alice", T, Map.of()));
  }
}
