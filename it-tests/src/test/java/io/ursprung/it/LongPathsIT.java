package io.ursprung.it;

import static io.ursprung.it.Workload.ev;
import static io.ursprung.it.Workload.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Viewer;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.lineage.FileRef;
import io.ursprung.db.lineage.Files;
import io.ursprung.db.lineage.JdbcLineageService;
import io.ursprung.db.query.FileSummary;
import io.ursprung.db.query.JdbcProvenanceQueries;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Paths up to Linux's longest (4,095 bytes) are stored, found by name and merged like short ones
 * (V86). A B-tree entry holds at most about 2,700 bytes, so before V86 an event naming a long path
 * that does not compress failed its batch and was dead-lettered.
 */
@ExtendWith(PostgresExtension.class)
class LongPathsIT {
  static final Instant T = Instant.parse("2026-11-20T10:10:00Z");
  static final String HOST = "long01";
  static final int PATH_MAX = 4095;

  /**
   * A path of exactly {@code bytes} UTF-8 bytes under {@code dir}: directories of random hex names
   * (which PostgreSQL's compression cannot shrink below the limit), some with a two-byte letter.
   */
  static String longPath(String dir, String leaf, int bytes, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder(dir);
    while (utf8(sb) + 42 + utf8(leaf) < bytes) {
      sb.append('/').append(r.nextInt(4) == 0 ? "é" : "d");
      for (int i = 0; i < 38; i++) {
        sb.append(Character.forDigit(r.nextInt(16), 16));
      }
    }
    sb.append('/');
    while (utf8(sb) + utf8(leaf) < bytes) {
      sb.append('x');
    }
    String p = sb.append(leaf).toString();
    assertEquals(bytes, utf8(p));
    return p;
  }

  static int utf8(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void pathsOfAnyLegalLengthAreStoredFoundAndMerged(TestDatabase db) throws Exception {
    String shard = longPath("/data/shards", "/part-0001.bin", PATH_MAX, 1);
    // Shares its first 2,600 bytes with shard, so both have the same first 256 characters.
    String sibling = shard.substring(0, 2600) + "/other.bin";
    String renamed = longPath("/data/done", "/part-0001.bin", PATH_MAX - 1, 2);
    String linkText = longPath("/models/v3", "/weights.pt", 3000, 3);
    String linkName = longPath("/home/bob/latest", "/weights.pt", 2500, 4);
    // Just over the key's limit (2,048 bytes) and just under: both ways of keying a path.
    String over = longPath("/tmp/edge", "/a", 2049, 5);
    String under = longPath("/tmp/edge", "/b", 2048, 6);

    ProcessRef writer = new ProcessRef(100, T);
    ProcessRef reader = new ProcessRef(200, T.plusSeconds(60));
    List<ProvEvent> events = new ArrayList<>();
    int s = 0;
    events.add(ev(HOST, s++, T.plusMillis(1), open(writer, shard, 11, false, true, true)));
    events.add(ev(HOST, s++, T.plusMillis(2), open(writer, sibling, 12, false, true, true)));
    events.add(ev(HOST, s++, T.plusMillis(3), open(writer, over, 13, true, false, false)));
    events.add(ev(HOST, s++, T.plusMillis(4), open(writer, under, 14, true, false, false)));
    // Later opens of the same names in the same hour: the earlier sightings stay.
    events.add(ev(HOST, s++, T.plusSeconds(61), open(reader, shard, 11, true, false, false)));
    events.add(ev(HOST, s++, T.plusSeconds(62), open(reader, over, 13, true, false, false)));
    events.add(ev(HOST, s++, T.plusSeconds(63), Workload.rename(reader, shard, 11L, renamed)));
    events.add(ev(HOST, s++, T.plusSeconds(64), Workload.symlink(reader, linkText, linkName, 15L)));

    GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
    FileNameSightingsIT.write(store, events);
    long[] ways = store.batchesByWay();
    assertEquals(1, ways[0], "the first delivery is COPYed straight in");

    String names =
        "SELECT op, octet_length(path)::text, md5(path), event_id FROM file_names"
            + " WHERE host = '"
            + HOST
            + "' ORDER BY time, op, event_id";
    List<List<String>> stored = ConsumerHarness.rows(db, names);
    // The writer's opens made the files (create, kept always); of the opens of a name in an hour
    // the earliest stays (the reader's open of shard is its first, of over its second).
    assertEquals(
        List.of(
            List.of("create", "4095", md5(shard), HOST + ":auditd:0:0"),
            List.of("create", String.valueOf(utf8(sibling)), md5(sibling), HOST + ":auditd:1:0"),
            List.of("open", "2049", md5(over), HOST + ":auditd:2:0"),
            List.of("open", "2048", md5(under), HOST + ":auditd:3:0"),
            List.of("open", "4095", md5(shard), HOST + ":auditd:4:0"),
            List.of("rename-from", "4095", md5(shard), HOST + ":auditd:6:0"),
            List.of("rename-to", "4094", md5(renamed), HOST + ":auditd:6:0"),
            List.of("symlink", "2500", md5(linkName), HOST + ":auditd:7:0")),
        stored);
    assertEquals(
        List.of(
            List.of("rename", md5(renamed), md5(shard)),
            List.of("symlink", md5(linkName), md5(linkText))),
        ConsumerHarness.rows(
            db,
            "SELECT kind, md5(path), md5(src_path) FROM was_derived_from WHERE host = '"
                + HOST
                + "' ORDER BY kind"));
    assertEquals(
        List.of(
            List.of("read", md5(over), "13"),
            List.of("read", md5(under), "14"),
            List.of("read", md5(shard), "11"),
            List.of("read", md5(over), "13")),
        ConsumerHarness.rows(
            db,
            "SELECT kind, md5(path), inode::text FROM used WHERE host = '"
                + HOST
                + "' ORDER BY time"));

    // Found by name, through the index on the key.
    try (Connection c = db.dataSource().getConnection()) {
      assertEquals(Optional.of(new FileRef(HOST, "fe:01", 11)), Files.resolve(c, HOST, renamed));
      assertEquals(Optional.of(new FileRef(HOST, "fe:01", 11)), Files.resolve(c, HOST, shard));
      assertEquals(Optional.of(new FileRef(HOST, "fe:01", 15)), Files.resolve(c, HOST, linkName));
      assertEquals(Optional.of(new FileRef(HOST, "fe:01", 12)), Files.resolve(c, HOST, sibling));
      assertEquals(Optional.of(new FileRef(HOST, "fe:01", 13)), Files.resolve(c, HOST, over));
      assertEquals(Optional.of(new FileRef(HOST, "fe:01", 14)), Files.resolve(c, HOST, under));
      assertEquals(Optional.empty(), Files.resolve(c, HOST, shard.substring(0, 2600) + "/none"));
      String plan =
          String.join(
              "\n",
              ConsumerHarness.rows(
                      db,
                      "EXPLAIN SELECT fs, inode FROM file_names WHERE path_key(path) ="
                          + " path_key('/x') AND path = '/x' AND host = 'h'")
                  .stream()
                  .map(r -> r.get(0))
                  .toList());
      assertTrue(plan.contains("file_names_path"), plan);
    }

    // Found by a search of names: a prefix within the key's first 256 characters, a longer one
    // (the key's condition uses its first 256), a glob, and a prefix that matches nothing.
    JdbcProvenanceQueries queries =
        new JdbcProvenanceQueries(db.dataSource(), new JdbcLineageService(db.dataSource()));
    Viewer admin = new Viewer(0, "admin", Role.ADMIN, Set.of(), Set.of());
    assertEquals(
        List.of(renamed),
        queries.searchFiles(admin, "/data/done/", false, HOST, 0, 10).items().stream()
            .map(FileSummary::path)
            .toList());
    assertEquals(
        Set.of(shard, sibling),
        queries.searchFiles(admin, shard.substring(0, 2600), false, HOST, 0, 10).items().stream()
            .map(FileSummary::path)
            .collect(Collectors.toSet()));
    assertEquals(
        Set.of(shard, sibling),
        queries.searchFiles(admin, "/data/shards/*.bin", true, HOST, 0, 10).items().stream()
            .map(FileSummary::path)
            .collect(Collectors.toSet()));
    assertEquals(
        List.of(),
        queries.searchFiles(admin, shard.substring(0, 2600) + "/none", false, HOST, 0, 10).items());

    // Delivered again, whole and in pieces (the staging way, ON CONFLICT on the keys): no change.
    Map<String, Long> before = store.counts();
    FileNameSightingsIT.write(store, events);
    for (int i = 0; i < events.size(); i += 3) {
      FileNameSightingsIT.write(store, events.subList(i, Math.min(events.size(), i + 3)));
    }
    assertEquals(before, store.counts());
    assertEquals(stored, ConsumerHarness.rows(db, names));
    assertTrue(store.batchesByWay()[1] >= 4, "the replays went through staging");
  }

  /**
   * file_names has no primary key since V86: without REPLICA IDENTITY FULL, a publication of all
   * tables (an operator's logical replica) would make the sightings upsert's UPDATE fail.
   */
  @Test
  void anEarlierSightingReplacesALaterOneUnderAPublicationOfAllTables(TestDatabase db)
      throws Exception {
    FileNameSightingsIT.exec(db, "CREATE PUBLICATION long_paths_all FOR ALL TABLES");
    try {
      GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
      ProcessRef p = new ProcessRef(300, T);
      String path = longPath("/pub", "/f", 3000, 8);
      FileNameSightingsIT.write(
          store, List.of(ev("pub01", 2, T.plusSeconds(30), open(p, path, 21, true, false, false))));
      FileNameSightingsIT.write(
          store, List.of(ev("pub01", 1, T.plusSeconds(10), open(p, path, 21, true, false, false))));
      assertEquals(
          List.of(List.of("pub01:auditd:1:0", "open")),
          ConsumerHarness.rows(db, "SELECT event_id, op FROM file_names WHERE host = 'pub01'"));
    } finally {
      FileNameSightingsIT.exec(db, "DROP PUBLICATION long_paths_all");
    }
  }

  static String md5(String s) throws Exception {
    byte[] d =
        java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
    StringBuilder sb = new StringBuilder();
    for (byte b : d) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }
}
