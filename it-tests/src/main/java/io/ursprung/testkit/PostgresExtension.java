package io.ursprung.testkit;

import io.ursprung.db.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its own real PostgreSQL database, with every Flyway migration applied from
 * zero, and drops it afterwards. Declare a {@link TestDatabase} parameter.
 *
 * <p>The server is the machine's: {@code jdbc:postgresql://127.0.0.1:5432/postgres} as user {@code
 * postgres}, or what {@code URSPRUNG_TEST_JDBC_URL}, {@code URSPRUNG_TEST_JDBC_USER} and {@code
 * URSPRUNG_TEST_JDBC_PASSWORD} say. The URL names the maintenance database used to create and drop
 * the test databases.
 */
public final class PostgresExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  /** Default server for tests. */
  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    String adminUrl = env("URSPRUNG_TEST_JDBC_URL", DEFAULT_URL);
    String user = env("URSPRUNG_TEST_JDBC_USER", "postgres");
    String password = System.getenv("URSPRUNG_TEST_JDBC_PASSWORD");
    String name =
        ("ursprung_it_"
                + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                + "_"
                + UUID.randomUUID().toString().substring(0, 8))
            .replaceAll("[^a-z0-9_]", "_");
    try (Connection c = DriverManager.getConnection(adminUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL is not reachable at "
              + adminUrl
              + " as "
              + user
              + " ("
              + e.getMessage()
              + "). Integration tests need a real PostgreSQL server. Start the machine's with"
              + " `pg_ctlcluster 15 main start` (Debian; `bash .ci/run` does this), or point"
              + " URSPRUNG_TEST_JDBC_URL / URSPRUNG_TEST_JDBC_USER / URSPRUNG_TEST_JDBC_PASSWORD"
              + " at a server where that user may CREATE DATABASE.",
          e);
    }
    String url = withDatabase(adminUrl, name);
    Database db = Database.open(url, user, password, "it-" + name, 4);
    db.migrate();
    context
        .getStore(NS)
        .put(
            "db",
            new Created(adminUrl, user, password, name, new TestDatabase(url, user, password, db)));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Created created = context.getStore(NS).remove("db", Created.class);
    if (created == null) {
      return;
    }
    created.db.database().close();
    try (Connection c =
            DriverManager.getConnection(created.adminUrl, created.user, created.password);
        Statement s = c.createStatement()) {
      // A backend's lineage cache still open on this database holds a logical replication slot,
      // and DROP DATABASE ... WITH (FORCE) refuses a database with an active slot: end those
      // connections (their temporary slots go with them) and try again, a few times, since the
      // cache reconnects after a second.
      for (int attempt = 1; ; attempt++) {
        s.execute(
            "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                + " WHERE database = '"
                + created.name
                + "' AND active_pid IS NOT NULL");
        for (int i = 0; i < 100 && slots(s, created.name) > 0; i++) {
          Thread.sleep(50);
        }
        try {
          s.execute("DROP DATABASE IF EXISTS " + created.name + " WITH (FORCE)");
          return;
        } catch (SQLException e) {
          if (attempt == 5) {
            throw e;
          }
        }
      }
    }
  }

  private static int slots(Statement s, String database) throws SQLException {
    try (ResultSet rs =
        s.executeQuery(
            "SELECT count(*) FROM pg_replication_slots WHERE database = '" + database + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Created created = context.getStore(NS).get("db", Created.class);
    if (created == null) {
      // Method-level contexts see the class-level store through their parent.
      ExtensionContext c = context;
      while (created == null && c.getParent().isPresent()) {
        c = c.getParent().get();
        created = c.getStore(NS).get("db", Created.class);
      }
    }
    if (created == null) {
      throw new IllegalStateException("PostgresExtension must be registered on the test class");
    }
    return created.db;
  }

  /** Replaces the database name of a PostgreSQL JDBC URL, keeping its parameters. */
  public static String withDatabase(String url, String database) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    String params = query < 0 ? "" : url.substring(query);
    int slash = base.lastIndexOf('/');
    if (slash < "jdbc:postgresql://".length()) {
      return base + "/" + database + params;
    }
    return base.substring(0, slash + 1) + database + params;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private record Created(
      String adminUrl, String user, String password, String name, TestDatabase db) {}
}
