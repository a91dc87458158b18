package io.ursprung.db;

import io.ursprung.config.ConfigDef;

/**
 * The configuration keys of the provenance store connection, declared once for every service that
 * opens the store (consumers, the API): the same names, defaults, checks and descriptions
 * everywhere, so one properties file or one set of {@code URSPRUNG_DB_*} variables serves them all.
 */
public final class StoreKeys {
  /** JDBC URL of the store. */
  public static final String URL = "db.url";

  /** Database user. */
  public static final String USER = "db.user";

  /** Database password (secret). */
  public static final String PASSWORD = "db.password";

  private StoreKeys() {}

  /** Adds the store keys to a service's definition, and returns it for chaining. */
  public static ConfigDef define(ConfigDef def) {
    return def.define(
            URL,
            ConfigDef.Type.STRING,
            "jdbc:postgresql://127.0.0.1:5432/ursprung",
            v ->
                v.toString().startsWith("jdbc:postgresql:")
                    ? null
                    : "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)",
            "The provenance store. Migrations are applied at start.")
        .define(
            USER,
            ConfigDef.Type.STRING,
            "ursprung",
            io.ursprung.config.Validators.nonBlank(),
            "Database user.")
        .defineSecret(PASSWORD, "", "Database password; empty for trust/peer auth.");
  }
}
