package io.ursprung.consumer;

import io.ursprung.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opening the store at start-up: waits for PostgreSQL to come up, stops on what cannot heal. */
final class Startup {
  private static final Logger LOG = LoggerFactory.getLogger(Startup.class);

  private Startup() {}

  /** Start-up was interrupted by a stop request. */
  static final class StoppedException extends RuntimeException {
    StoppedException() {
      super("stopped during start-up");
    }
  }

  /** Opens the pool and applies the migrations, retrying while PostgreSQL is unreachable. */
  static Database openDatabase(ConsumerSettings s) {
    long backoff = 500;
    while (true) {
      try {
        Database db =
            Database.open(
                s.jdbcUrl(), s.jdbcUser(), s.jdbcPassword(), "consumer-" + s.source().cliName(), 3);
        try {
          db.migrate();
        } catch (RuntimeException e) {
          db.close();
          throw e;
        }
        return db;
      } catch (RuntimeException e) {
        if (Failures.classify(e) == Failures.Kind.FATAL) {
          throw new ConsumerLoop.FatalException(
              "cannot open the store at "
                  + s.jdbcUrl()
                  + ": "
                  + rootMessage(e)
                  + ". "
                  + Failures.advice(e),
              e);
        }
        if (!(Failures.classify(e) == Failures.Kind.RETRIABLE || isConnectionProblem(e))) {
          throw new ConsumerLoop.FatalException(
              "cannot prepare the store at " + s.jdbcUrl() + ": " + rootMessage(e), e);
        }
        LOG.warn(
            "PostgreSQL at {} is not available ({}); retrying in {} ms",
            s.jdbcUrl(),
            rootMessage(e),
            backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          throw new StoppedException();
        }
        backoff = Math.min(backoff * 2, s.maxBackoff().toMillis());
      }
    }
  }

  private static boolean isConnectionProblem(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.sql.SQLException e
          && e.getSQLState() != null
          && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage();
  }
}
