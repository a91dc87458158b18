package io.ursprung.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Migrations are forward-only and named by intent ({@code V<n>__<verb>_<what>.sql}). The schema is
 * built from zero against real PostgreSQL by the it-tests module on every run.
 */
class MigrationFilesTest {

  private static final Pattern NAME = Pattern.compile("V\\d+__[a-z][a-z0-9_]*\\.sql");

  @Test
  void migrationsAreVersionedAndNamedByIntent() throws IOException, URISyntaxException {
    Path dir = Path.of(Database.class.getResource("/db/migration").toURI());
    List<String> names;
    try (Stream<Path> files = Files.list(dir)) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertTrue(!names.isEmpty(), "no migrations found");
    for (String name : names) {
      assertTrue(NAME.matcher(name).matches(), "badly named migration " + name);
      assertTrue(!name.startsWith("U"), "undo migrations are not allowed: " + name);
    }
  }
}
