package io.ursprung.consumer.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.consumer.ScaleRecord;
import io.ursprung.rules.RuleId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Queueing, backoff, identifiers and the Scale field mapping, without a database. */
class EngineLogicTest {
  private static WorkItem item(long id) {
    return new WorkItem(
        id, new RuleId("0".repeat(32)), 0, "ALERT", "h", "e" + id, "h", Instant.EPOCH, Map.of(), 0);
  }

  @Test
  void aLaneTakesNoMoreThanItsThreadsCanStartSoonAndNeverBlocksTheOfferer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Long> seen = new CopyOnWriteArrayList<>();
    ActionLane lane =
        new ActionLane(
            "TEST",
            1,
            100,
            w -> {
              seen.add(w.id());
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    lane.start();
    assertEquals(2, lane.free());
    assertTrue(lane.offer(item(1)));
    assertTrue(lane.offer(item(2)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (seen.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    // One item running, one queued: room for one more, whatever the queue's capacity.
    assertEquals(1, lane.free());
    assertEquals(2, lane.load());
    release.countDown();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (lane.load() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of(1L, 2L), seen);
    lane.stop(1000);
  }

  @Test
  void aFullQueueRefusesInsteadOfBlocking() {
    ActionLane lane = new ActionLane("TEST", 1, 1, w -> {});
    assertTrue(lane.offer(item(1)));
    assertFalse(lane.offer(item(2)));
    assertEquals(0, lane.free());
  }

  @Test
  void aFailingWorkerDoesNotKillItsLane() throws Exception {
    List<Long> seen = new CopyOnWriteArrayList<>();
    ActionLane lane =
        new ActionLane(
            "TEST",
            1,
            10,
            w -> {
              seen.add(w.id());
              if (w.id() == 1) {
                throw new IllegalStateException("boom");
              }
            });
    lane.start();
    lane.offer(item(1));
    lane.offer(item(2));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (seen.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(List.of(1L, 2L), seen);
    lane.stop(1000);
  }

  @Test
  void backoffDoublesUpToTenMinutes() {
    assertEquals(Duration.ofSeconds(2), WorkStore.backoff(1));
    assertEquals(Duration.ofSeconds(8), WorkStore.backoff(3));
    assertEquals(Duration.ofMinutes(10), WorkStore.backoff(10));
    assertEquals(Duration.ofMinutes(10), WorkStore.backoff(1000));
  }

  @Test
  void workFieldsSurviveJsonWithLongNumbers() {
    Map<String, Object> f = Map.of("pid", 42L, "path", "/x", "write", true, "inode", 1L << 40);
    assertEquals(f, WorkStore.fields(WorkStore.json(f)));
  }

  @Test
  void identifiersAreValidatedFoldedAndQuoted() {
    assertEquals("\"metrics\"", Sql.table("Metrics"));
    assertEquals("\"public\".\"metrics\"", Sql.table("public.metrics"));
    assertEquals(
        "INSERT INTO \"t\" (\"a\", \"commitid\") VALUES (?, ?)",
        Sql.insert("t", List.of("a", "commitId")));
    for (String bad : List.of("a;drop", "x\"y", "1a", "a b", "", "a.b.c", "a--")) {
      assertThrows(IllegalArgumentException.class, () -> Sql.table(bad), bad);
    }
  }

  @Test
  void scaleEventsLookLikeFileAccessEvents() throws Exception {
    ScaleRecord r =
        ScaleRecord.parse(
            ("{\"event\":\"IN_CLOSE_WRITE\",\"path\":\"/gpfs/fs0/a.log\",\"clusterName\":\"c1\","
                    + "\"nodeName\":\"n1\",\"fsName\":\"fs0\",\"inode\":\"77\",\"processId\":\"12\","
                    + "\"eventTime\":\"2020-05-29_23:28:02-0700\",\"fileSize\":\"10\"}")
                .getBytes(StandardCharsets.UTF_8));
    Map<String, Object> m = ScaleEventFields.map(r);
    assertEquals("file.access", m.get("type"));
    assertEquals("close", m.get("op"));
    assertEquals(true, m.get("write"));
    assertEquals("n1", m.get("host"));
    assertEquals("fs0", m.get("device"));
    assertEquals(77L, m.get("inode"));
    assertEquals(12L, m.get("pid"));
    assertEquals("/gpfs/fs0/a.log", m.get("path"));
  }

  @Test
  void trackRefNamesAreSafe() {
    assertEquals("host-1.example", TrackAction.safe("host-1.example"));
    assertFalse(TrackAction.safe("a/../b").contains(".."));
    assertFalse(TrackAction.safe(".hidden").startsWith("."));
    assertEquals("8_1", TrackAction.safe("8:1"));
  }
}
