package io.ursprung.db.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Opens and execs of a name are kept once an hour; changes of name are all kept. */
class SightingTest {
  static final Instant T = Instant.parse("2026-11-20T10:15:00Z");
  static final Rows.FileKey LIB = new Rows.FileKey("h", "8:1", 42);

  static Rows.FileName name(String id, String path, String op, Instant t) {
    return new Rows.FileName(id, path, op, LIB, t, "h", 7, T);
  }

  static List<String> kept(GraphBatch b) {
    List<String> out = new ArrayList<>();
    for (Rows.FileName n : b.nameRows()) {
      out.add(n.op() + " " + n.path() + " " + n.eventId());
    }
    return out;
  }

  @Test
  void theEarliestOpenOfANameInAnHourStays() {
    GraphBatch b = new GraphBatch();
    b.name(name("e3", "/lib/a", "open", T.plusSeconds(30)));
    b.name(name("e1", "/lib/a", "open", T.plusSeconds(10)));
    b.name(name("e2", "/lib/a", "open", T.plusSeconds(20)));
    assertEquals(List.of("open /lib/a e1"), kept(b));
    assertEquals(1, b.sizes().get("file_names"));
  }

  @Test
  void anotherHourPathOpOrFileIsAnotherRow() {
    GraphBatch b = new GraphBatch();
    b.name(name("e1", "/lib/a", "open", T));
    // 10:59:59.999 is the same hour, 11:00:00 the next.
    b.name(name("e2", "/lib/a", "open", Instant.parse("2026-11-20T10:59:59.999Z")));
    b.name(name("e3", "/lib/a", "open", Instant.parse("2026-11-20T11:00:00Z")));
    b.name(name("e4", "/lib/b", "open", T));
    b.name(name("e5", "/lib/a", "exec", T));
    b.name(
        new Rows.FileName("e6", "/lib/a", "open", new Rows.FileKey("h", "8:1", 43), T, "h", 7, T));
    assertEquals(
        List.of(
            "open /lib/a e1",
            "open /lib/a e3",
            "open /lib/b e4",
            "exec /lib/a e5",
            "open /lib/a e6"),
        kept(b));
  }

  @Test
  void changesOfNameAreAllKept() {
    GraphBatch b = new GraphBatch();
    for (String op :
        List.of("create", "rename-from", "rename-to", "link", "symlink", "unlink", "mkdir")) {
      b.name(name("c-" + op, "/w/x", op, T));
      b.name(name("d-" + op, "/w/x", op, T));
    }
    assertEquals(14, kept(b).size());
  }

  @Test
  void equalTimesKeepTheSmallerEventIdInAnyOrder() {
    Random random = new Random(7);
    List<Rows.FileName> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(name("e" + (char) ('a' + i), "/lib/a", "open", T.plusMillis(i % 3 == 0 ? 0 : i)));
    }
    for (int round = 0; round < 50; round++) {
      Collections.shuffle(rows, random);
      GraphBatch b = new GraphBatch();
      rows.forEach(b::name);
      assertEquals(List.of("open /lib/a ea"), kept(b));
    }
  }

  @Test
  void hoursAreCountedAsPostgresStoresTheTime() {
    long h1969 =
        GraphBatch.Sighting.of(name("e", "/a", "open", Instant.parse("1969-12-31T23:30:00Z")))
            .hour();
    long h1970 =
        GraphBatch.Sighting.of(name("e", "/a", "open", Instant.parse("1970-01-01T00:00:00Z")))
            .hour();
    assertEquals(1, h1970 - h1969);
    // Half a microsecond before the hour is stored as the hour itself (rounded): the next hour.
    Instant nearly = Instant.parse("2026-11-20T10:59:59.999999600Z");
    assertEquals(
        GraphBatch.Sighting.of(name("e", "/a", "open", Instant.parse("2026-11-20T11:00:00Z")))
            .hour(),
        GraphBatch.Sighting.of(name("e", "/a", "open", nearly)).hour());
    // Times equal once rounded to microseconds are a tie: the smaller event id stays.
    GraphBatch b = new GraphBatch();
    b.name(name("e2", "/a", "open", Instant.parse("2026-11-20T10:00:00.000001Z")));
    b.name(name("e9", "/a", "open", Instant.parse("2026-11-20T10:00:00.000000800Z")));
    assertEquals(List.of("open /a e2"), kept(b));
  }
}
