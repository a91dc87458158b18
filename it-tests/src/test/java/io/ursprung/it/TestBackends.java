package io.ursprung.it;

import io.ursprung.backend.Backend;
import io.ursprung.backend.BackendConfig;
import io.ursprung.testkit.TestDatabase;
import java.util.HashMap;
import java.util.Map;

/** The REST backend on a test database, as the API integration tests start it. */
final class TestBackends {
  private TestBackends() {}

  /** On loopback, on a free port, with the built-in admin's token. */
  static Backend open(TestDatabase db, String adminToken) {
    return open(db, adminToken, Map.of());
  }

  /** The same, with more settings (or other values for the ones above). */
  static Backend open(TestDatabase db, String adminToken, Map<String, String> more) {
    Map<String, String> settings = new HashMap<>();
    settings.put(BackendConfig.PORT, "0");
    settings.put(BackendConfig.BIND, "127.0.0.1");
    settings.put(BackendConfig.JDBC_URL, db.jdbcUrl());
    settings.put(BackendConfig.JDBC_USER, db.user());
    settings.put(BackendConfig.ADMIN_TOKEN, adminToken);
    // Fewer PBKDF2 rounds keep the tests quick; production uses the default.
    settings.put(BackendConfig.ITERATIONS, "10000");
    if (db.password() != null) {
      settings.put(BackendConfig.JDBC_PASSWORD, db.password());
    }
    settings.putAll(more);
    return Backend.open(
        BackendConfig.from(BackendConfig.DEFINITION.parse(Map.of(), Map.of(), settings)));
  }
}
