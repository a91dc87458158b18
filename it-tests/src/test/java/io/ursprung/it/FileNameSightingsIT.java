package io.ursprung.it;

import static io.ursprung.it.Workload.ev;
import static io.ursprung.it.Workload.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.consumer.AuditdMapper;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The path history keeps every change of name and, of the opens of a name, the earliest of each
 * hour (V84): the same rows whatever batches the events fall into and in whatever order the batches
 * come, and a batch written again changes nothing.
 */
@ExtendWith(PostgresExtension.class)
class FileNameSightingsIT {
  static final Instant T = Instant.parse("2026-11-20T10:40:00Z");
  static final String HOST = "names01";
  static final String QUERY =
      "SELECT op, path, event_id, time, pid FROM file_names WHERE host = '"
          + HOST
          + "' ORDER BY time, op, event_id";

  /** 60 opens of two libraries by 30 processes over 40 minutes (two UTC hours), and a rename. */
  static List<ProvEvent> events() {
    List<ProvEvent> out = new ArrayList<>();
    int s = 0;
    for (int i = 0; i < 30; i++) {
      ProcessRef p = new ProcessRef(100 + i, T.plusSeconds(80L * i));
      Instant t = p.start().plusMillis(5);
      out.add(ev(HOST, s++, t, open(p, "/lib/liba.so", 11, true, false, false)));
      out.add(ev(HOST, s++, t.plusMillis(1), open(p, "/lib/libb.so", 12, true, false, false)));
    }
    ProcessRef mv = new ProcessRef(500, T.plusSeconds(600));
    out.add(ev(HOST, s++, mv.start(), Workload.rename(mv, "/lib/libb.so", 12L, "/lib/libb.so.1")));
    return out;
  }

  static void write(GraphStore store, List<ProvEvent> events) throws Exception {
    GraphBatch b = new GraphBatch();
    for (ProvEvent e : events) {
      AuditdMapper.map(e, ConsumerHarness.CODEC.toJson(e), "auditd", 0, 0L, b);
    }
    store.write(b);
  }

  static List<List<String>> rows(TestDatabase db, String sql) {
    return ConsumerHarness.rows(db, sql);
  }

  static void exec(TestDatabase db, String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void theEarliestOpenOfEachHourStaysWhateverTheBatchesAndTheirOrder(TestDatabase db)
      throws Exception {
    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    List<ProvEvent> events = events();

    // One batch, in order: the reference.
    write(store, events);
    List<List<String>> reference = rows(db, QUERY);
    // 10:40..10:59 and 11:00..11:19 for each library, the rename's two names and its version's.
    List<String> summary = new ArrayList<>();
    for (List<String> r : reference) {
      summary.add(r.get(0) + " " + r.get(1) + " " + r.get(2));
    }
    assertEquals(
        List.of(
            "open /lib/liba.so names01:auditd:0:0",
            "open /lib/libb.so names01:auditd:1:0",
            "rename-from /lib/libb.so names01:auditd:60:0",
            "rename-to /lib/libb.so.1 names01:auditd:60:0",
            // 10:40 + 80 s * 15 = 11:00:00 (+5 ms): the first open of the next hour.
            "open /lib/liba.so names01:auditd:30:0",
            "open /lib/libb.so names01:auditd:31:0"),
        summary);

    // Written again as small batches: nothing changes.
    for (int i = 0; i < events.size(); i += 7) {
      write(store, events.subList(i, Math.min(events.size(), i + 7)));
    }
    assertEquals(reference, rows(db, QUERY));

    // Batches in other orders into an empty graph: the same rows.
    Random random = new Random(11);
    for (int round = 0; round < 3; round++) {
      store.truncateAll();
      List<List<ProvEvent>> batches = new ArrayList<>();
      for (int i = 0; i < events.size(); i += 5) {
        batches.add(events.subList(i, Math.min(events.size(), i + 5)));
      }
      Collections.shuffle(batches, random);
      for (List<ProvEvent> b : batches) {
        write(store, b);
      }
      assertEquals(reference, rows(db, QUERY), "round " + round);
    }
  }

  /**
   * A store leaves out the sightings it committed already (GraphStore's committed sightings), but
   * not an earlier one, and learns nothing from a transaction that rolled back: the rows are those
   * of a store that leaves nothing out.
   */
  @Test
  void aCommittedSightingIsLeftOutButAnEarlierOneIsWritten(TestDatabase db) throws Exception {
    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    List<ProvEvent> events = events();
    write(store, events);
    List<List<String>> reference = rows(db, QUERY);
    assertEquals(0, store.sightingsSkipped());

    // Written again in small batches: the sightings after each batch's first are left out, and
    // nothing changes.
    for (int i = 0; i < events.size(); i += 7) {
      write(store, events.subList(i, Math.min(events.size(), i + 7)));
    }
    assertEquals(reference, rows(db, QUERY));
    assertTrue(store.sightingsSkipped() > 0, "skipped " + store.sightingsSkipped());

    // An earlier open of liba in the same hour is written, not left out.
    ProcessRef p = new ProcessRef(900, T);
    write(
        store,
        List.of(ev(HOST, 1000, T.plusMillis(3), open(p, "/lib/liba.so", 11, true, false, false))));
    assertEquals(
        List.of("names01:auditd:1000:0"),
        ConsumerHarness.rows(
                db,
                "SELECT event_id FROM file_names WHERE host = '"
                    + HOST
                    + "' AND path = '/lib/liba.so' AND op = 'open' ORDER BY time LIMIT 1")
            .get(0));

    // A still earlier one in a transaction that rolls back teaches the store nothing: an open
    // between the two is written afterwards.
    GraphBatch rolledBack = new GraphBatch();
    ProvEvent early =
        ev(HOST, 1001, T.plusMillis(1), open(p, "/lib/liba.so", 11, true, false, false));
    AuditdMapper.map(early, ConsumerHarness.CODEC.toJson(early), "auditd", 0, 0L, rolledBack);
    assertThrows(
        IllegalStateException.class,
        () ->
            store.inTransaction(
                rolledBack.lockHosts(),
                tx -> {
                  tx.write(rolledBack);
                  throw new IllegalStateException("rolled back on purpose");
                }));
    List<ProvEvent> between =
        List.of(ev(HOST, 1002, T.plusMillis(2), open(p, "/lib/liba.so", 11, true, false, false)));
    write(store, between);
    List<List<String>> withCache = rows(db, QUERY);
    assertEquals("names01:auditd:1002:0", withCache.get(0).get(2));

    // The same events through a new store into an empty graph: the same rows.
    store.truncateAll();
    GraphStore fresh = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    write(fresh, events);
    write(
        fresh,
        List.of(ev(HOST, 1000, T.plusMillis(3), open(p, "/lib/liba.so", 11, true, false, false))));
    write(fresh, between);
    assertEquals(withCache, rows(db, QUERY));
  }
}
