package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The all-in-one master's own PostgreSQL: real server binaries from Maven Central, started as a
 * child process (as 'nobody' when the tests run as root), data kept across restarts.
 */
class EmbeddedPostgresIT {

  private Path dir;

  @AfterEach
  void cleanUp() throws IOException {
    if (dir != null) {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void startsStopsAndKeepsDataAcrossRestarts() throws Exception {
    dir = Files.createTempDirectory("ursprung-embedded-pg-");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, port)) {
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, null);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (v text)");
        s.execute("INSERT INTO kept VALUES ('survives a restart')");
        try (ResultSet rs = s.executeQuery("SHOW server_version")) {
          assertTrue(rs.next());
          assertTrue(rs.getString(1).startsWith("16."), rs.getString(1));
        }
      }
    }
    assertTrue(Files.exists(dir.resolve("data/PG_VERSION")));
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, port);
        Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, null);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
      assertTrue(rs.next());
      assertEquals("survives a restart", rs.getString(1));
    }
  }
}
