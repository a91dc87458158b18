package io.ursprung.backend.resources;

import io.ursprung.db.query.StoreException;
import java.io.IOException;
import java.sql.SQLException;

/**
 * Runs calls to the services that throw checked JDBC and I/O exceptions (alerts, tracked content)
 * and turns those into the {@link StoreException} every other service throws, so that an outage
 * behind them is the same 503 as elsewhere rather than a 500.
 */
final class StoreCalls {
  private StoreCalls() {}

  /** A call that may fail because the database or a tracked repository cannot be read. */
  interface Call<T> {
    T call() throws SQLException, IOException;
  }

  static <T> T run(String what, Call<T> call) {
    try {
      return call.call();
    } catch (SQLException | IOException e) {
      throw new StoreException(what + " failed: " + e.getMessage(), e);
    }
  }
}
