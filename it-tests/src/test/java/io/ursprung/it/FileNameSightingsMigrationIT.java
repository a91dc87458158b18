package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ursprung.db.graph.GraphStore;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * V84 on a store as it was before it: the opens of each hour but the earliest are removed. A class
 * of its own because it puts V84's sightings index back (on the path, not on path_key as V86 has
 * it), which the consumer's upsert no longer names: the class's database is not used for anything
 * else.
 */
@ExtendWith(PostgresExtension.class)
class FileNameSightingsMigrationIT {
  @Test
  void theMigrationKeepsTheEarliestOpenOfEachHourOfAnOlderStore(TestDatabase db) throws Exception {
    // A store as before V84: a row per open.
    FileNameSightingsIT.exec(db, "DROP INDEX file_names_sighting");
    FileNameSightingsIT.exec(
        db,
        "INSERT INTO file_names (host, event_id, path, op, fs, inode, time)"
            + " SELECT 'm', 'e' || lpad(g::text, 3, '0'), '/lib/a', 'open', 'fe:01', 11,"
            + " timestamptz '2026-11-20 10:30:00+00' + g * interval '1 minute'"
            + " FROM generate_series(1, 90) g"
            + " UNION ALL SELECT 'm', 'x' || g, '/lib/a', 'unlink', 'fe:01', 11,"
            + " timestamptz '2026-11-20 10:31:00+00' FROM generate_series(1, 2) g"
            // Two opens at the same time: the smaller event id stays.
            + " UNION ALL SELECT 'm', 'b', '/lib/b', 'open', 'fe:01', 12,"
            + " timestamptz '2026-11-20 10:00:00+00'"
            + " UNION ALL SELECT 'm', 'a', '/lib/b', 'open', 'fe:01', 12,"
            + " timestamptz '2026-11-20 10:00:00+00'");
    String script;
    try (InputStream in =
        GraphStore.class.getResourceAsStream("/db/migration/V84__file_names_sightings.sql")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    FileNameSightingsIT.exec(db, script);
    assertEquals(
        List.of(
            List.of("a", "/lib/b", "open"),
            List.of("e001", "/lib/a", "open"),
            List.of("x1", "/lib/a", "unlink"),
            List.of("x2", "/lib/a", "unlink"),
            List.of("e030", "/lib/a", "open"),
            List.of("e090", "/lib/a", "open")),
        FileNameSightingsIT.rows(
            db,
            "SELECT event_id, path, op FROM file_names WHERE host = 'm'"
                + " ORDER BY time, event_id"));
  }
}
