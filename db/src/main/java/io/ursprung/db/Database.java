package io.ursprung.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** A pooled connection to the provenance store, and its schema migrations. */
public final class Database implements AutoCloseable {

  private final HikariDataSource dataSource;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** What the pools' connections call themselves in PostgreSQL, before the pool name. */
  public static final String APPLICATION_PREFIX = "ursprung-";

  /**
   * Opens a pool.
   *
   * @param jdbcUrl for example {@code jdbc:postgresql://127.0.0.1:5432/ursprung}
   * @param user database user
   * @param password password, or null for trust/peer authentication
   * @param poolName shown in logs and metrics
   * @param maxPoolSize upper bound of connections
   */
  public static Database open(
      String jdbcUrl, String user, String password, String poolName, int maxPoolSize) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    if (password != null) {
      config.setPassword(password);
    }
    config.setPoolName(poolName);
    // Names the connections in pg_stat_activity ("ursprung-consumer-auditd", ...): for the
    // operator, and for `ursprung rebuild --clear`, which refuses while consumers are connected.
    // An ApplicationName in the URL wins.
    config.addDataSourceProperty(
        "ApplicationName",
        poolName.startsWith(APPLICATION_PREFIX) ? poolName : APPLICATION_PREFIX + poolName);
    config.setMaximumPoolSize(maxPoolSize);
    // Fail fast at start-up with the driver's own message (wrong host, auth) instead of hanging.
    config.setInitializationFailTimeout(10_000);
    config.setConnectionTimeout(10_000);
    config.setAutoCommit(true);
    return new Database(new HikariDataSource(config));
  }

  /** Applies pending forward-only migrations. */
  public MigrateResult migrate() {
    return migrate(dataSource);
  }

  /** Applies pending forward-only migrations to any data source. */
  public static MigrateResult migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }

  /** The pool, for data access classes of this module. */
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
