package io.ursprung.it;

import static io.ursprung.it.Workload.ev;
import static io.ursprung.it.Workload.open;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ursprung.consumer.AuditdMapper;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The archive is written in binary COPY format from the bytes received: it must hold exactly those
 * bytes, and the same times as the graph rows (which were written as text when this test was made,
 * and are binary too now: BinaryCopyIT), on the direct way and through staging, with the COPY data
 * made ahead or not.
 */
@ExtendWith(PostgresExtension.class)
class EventArchiveBinaryIT {
  static final String HOST = "arch01";

  @Test
  void theArchiveHoldsTheBytesReceivedAndTheTimesOfTheTextRows(TestDatabase db) throws Exception {
    List<ProvEvent> events = new ArrayList<>();
    Instant[] times = {
      Instant.parse("2026-11-20T10:00:00.123Z"),
      Instant.parse("2026-11-20T10:00:00.123456Z"),
      Instant.parse("1999-12-31T23:59:59.000500Z"),
      Instant.parse("2026-11-20T10:00:01Z")
    };
    for (int i = 0; i < times.length; i++) {
      ProcessRef p = new ProcessRef(100 + i, times[i].minusSeconds(1));
      // Non-ASCII, a tab, a backslash and a quote: what text COPY had to escape.
      String path = "/data/Ünïcødé ✓/tab\there\\back\"quote" + i + ".csv";
      events.add(ev(HOST, i, times[i], open(p, path, 10 + i, true, false, false)));
    }
    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    write(store, events.subList(0, 2), false);
    // The second batch holds a stored event: the store takes the staging way for all of it. Its
    // COPY data is made ahead, as the pipelined consumer does (GraphStore.prepare).
    write(store, events, true);
    long[] ways = store.batchesByWay();
    assertEquals(1, ways[0], "first batch written directly");
    assertEquals(1, ways[1], "second batch through staging");

    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET TIME ZONE 'UTC'");
      for (int i = 0; i < events.size(); i++) {
        ProvEvent e = events.get(i);
        try (ResultSet rs =
            s.executeQuery(
                "SELECT a.payload, a.event_time = u.time, a.event_time::text, count(*) OVER ()"
                    + " FROM event_archive a JOIN used u ON u.host = a.host AND u.event_id = a.id"
                    + " WHERE a.id = '"
                    + e.id()
                    + "'")) {
          rs.next();
          assertArrayEquals(ConsumerHarness.CODEC.toBytes(e), rs.getBytes(1), e.id());
          assertEquals(true, rs.getBoolean(2), "archive time = used time for " + e.id());
          assertEquals(1, rs.getInt(4));
        }
      }
      try (ResultSet rs =
          s.executeQuery("SELECT event_time::text FROM event_archive ORDER BY source_offset")) {
        List<String> got = new ArrayList<>();
        while (rs.next()) {
          got.add(rs.getString(1));
        }
        assertEquals(
            List.of(
                "2026-11-20 10:00:00.123+00",
                "2026-11-20 10:00:00.123456+00",
                "1999-12-31 23:59:59.0005+00",
                "2026-11-20 10:00:01+00"),
            got);
      }
    }
  }

  static void write(GraphStore store, List<ProvEvent> events, boolean prepare) throws Exception {
    GraphBatch b = new GraphBatch();
    for (ProvEvent e : events) {
      AuditdMapper.map(
          e, ConsumerHarness.CODEC.toBytes(e), "auditd", 0, (long) events.indexOf(e), b);
    }
    if (prepare) {
      GraphStore.prepare(b);
    }
    store.write(b);
  }
}
