package io.ursprung.provd.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountingParserTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  @Test
  void sacctWithHeaderStepsAndAReusedId() {
    List<String> lines =
        List.of(
            "JobID|User|Submit|Start|End|Elapsed|UserCPU|SystemCPU|State",
            "4711|alice|2026-11-20T08:00:01|2026-11-20T08:00:05|2026-11-20T08:10:00|00:09:55"
                + "|01:00.500|00:02.250|COMPLETED",
            "4711.batch||2026-11-20T08:00:05|2026-11-20T08:00:05|2026-11-20T08:10:00|00:09:55"
                + "|01:00.500|00:02.250|COMPLETED",
            "4711|bob|2026-11-20T10:00:01|2026-11-20T10:00:04|2026-11-20T11:00:04|01:00:00"
                + "|00:00|00:00|CANCELLED by 0",
            "4711.batch||2026-11-20T10:00:04|2026-11-20T10:00:04|2026-11-20T11:00:04|01:00:00"
                + "|30:00|00:10|CANCELLED",
            "4711.0||2026-11-20T10:00:05|2026-11-20T10:00:05|2026-11-20T11:00:04|00:59:59"
                + "|1-00:00:00|00:00.5|CANCELLED",
            "4712|carol|2026-11-20T10:00:01|2026-11-20T10:00:04|Unknown|00:10:00|00:00|00:00"
                + "|RUNNING");
    AccountingParser.Result r = AccountingParser.parse(lines, UTC, null);
    assertEquals(List.of(), r.problems());
    assertEquals(1, r.skipped(), "the running job waits");
    assertEquals(2, r.records().size());
    AccountingRecord a = r.records().get(0);
    assertEquals("slurm", a.resourceManager());
    assertEquals("4711", a.localJobId());
    assertEquals("alice", a.user());
    assertEquals(Instant.parse("2026-11-20T08:00:01Z"), a.queued());
    assertEquals(new BigDecimal("595"), a.elapsedSeconds());
    assertEquals(new BigDecimal("60.500"), a.userCpuSeconds(), "the job line, not job + step");
    assertEquals(new BigDecimal("2.250"), a.systemCpuSeconds());
    AccountingRecord b = r.records().get(1);
    assertEquals("bob", b.user());
    assertEquals("CANCELLED", b.state());
    // The job line has no CPU: the steps of this (second) 4711 are summed, not the first one's.
    assertEquals(0, new BigDecimal("88200").compareTo(b.userCpuSeconds()), "1800 + 86400");
    assertEquals(0, new BigDecimal("10.5").compareTo(b.systemCpuSeconds()));
  }

  @Test
  void sacctWithoutHeaderUsesTheDocumentedOrderAndTheZone() {
    List<String> lines =
        List.of(
            "17|dave|2026-07-01T12:00:00|2026-07-01T12:00:10|2026-07-01T12:01:10|00:01:00"
                + "|00:30|00:01|COMPLETED");
    AccountingParser.Result r =
        AccountingParser.parseSacct(lines, ZoneId.of("Europe/Zurich"), "slurm");
    assertEquals(Instant.parse("2026-07-01T10:00:00Z"), r.records().get(0).queued());
  }

  @Test
  void csvForm() {
    List<String> lines =
        List.of(
            "localJobId,user,queuedTime,startTime,finishTime,elapsedSeconds,userCpuSeconds,"
                + "systemCpuSeconds,state,resourceManager",
            "9001,erin,2026-11-20T08:00:00Z,2026-11-20T08:00:02Z,2026-11-20T08:05:02Z,300,"
                + "250.5,4,DONE,lsf",
            "9002,\"frank\",2026-11-20T09:00:00Z,,,,,,\"PEND, then EXIT\",pbs",
            "bad,,2026-11-20T09:00:00Z,,,,,,,");
    AccountingParser.Result r = AccountingParser.parse(lines, UTC, null);
    assertEquals(2, r.records().size());
    assertEquals(1, r.problems().size());
    assertEquals(4, r.problems().get(0).line());
    assertEquals("lsf", r.records().get(0).resourceManager());
    assertEquals(new BigDecimal("250.5"), r.records().get(0).userCpuSeconds());
    assertEquals("PEND, then EXIT", r.records().get(1).state());
    assertNull(r.records().get(1).finished());
  }

  @Test
  void durations() {
    assertEquals(new BigDecimal("5"), AccountingParser.duration("00:05"));
    assertEquals(new BigDecimal("3723"), AccountingParser.duration("01:02:03"));
    assertEquals(new BigDecimal("93784"), AccountingParser.duration("1-02:03:04"));
    assertEquals(new BigDecimal("1.234"), AccountingParser.duration("00:01.234"));
    assertEquals(new BigDecimal("42"), AccountingParser.duration("42"));
    assertNull(AccountingParser.duration("INVALID"));
    assertThrows(IllegalArgumentException.class, () -> AccountingParser.duration("1:2:3:4"));
    assertThrows(IllegalArgumentException.class, () -> AccountingParser.duration("-5"));
    assertTrue(AccountingParser.parse(List.of("JobID|Nope"), UTC, null).problems().size() == 1);
  }
}
