package io.ursprung.consumer;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Locale;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Sorts failures where they happen, as the brief asks: retry what a pause can fix, stop on what
 * only an operator can fix, and set aside what is wrong with the data.
 */
final class Failures {
  private Failures() {}

  /** What to do about a failure. */
  enum Kind {
    /** The service is unavailable for now (connection refused, broker down): pause and retry. */
    RETRIABLE,
    /** Configuration, authentication or permissions: stop with a message. */
    FATAL,
    /** The data of a batch cannot be stored: find the event and dead-letter it. */
    DATA
  }

  static Kind classify(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof AuthenticationException
          || c instanceof AuthorizationException
          || c instanceof InvalidTopicException
          || c instanceof org.apache.kafka.common.config.ConfigException) {
        return Kind.FATAL;
      }
      if (c instanceof RetriableException
          || c instanceof org.apache.kafka.common.errors.TimeoutException
          || c instanceof org.apache.kafka.common.errors.DisconnectException
          || c instanceof java.net.ConnectException
          || c instanceof java.io.EOFException) {
        return Kind.RETRIABLE;
      }
      if (c instanceof SQLException e) {
        Kind k = sqlKind(e);
        if (k != null) {
          return k;
        }
      }
    }
    // Anything else from the write path (a constraint, a value out of range, a bug in the
    // mapping of one odd event) is narrowed down to the event and dead-lettered.
    return Kind.DATA;
  }

  private static Kind sqlKind(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      // HikariCP reports an exhausted wait for a connection without a state, as transient.
      return e instanceof SQLTransientException ? Kind.RETRIABLE : null;
    }
    String cls = state.substring(0, Math.min(2, state.length()));
    return switch (cls) {
        // connection exception; insufficient resources; operator intervention (shutdown,
        // terminated backend, cannot connect now); serialization failure or deadlock
      case "08", "53", "57", "40" -> Kind.RETRIABLE;
        // invalid authorization, invalid catalog (no such database)
      case "28", "3D" -> Kind.FATAL;
      default -> state.equals("42501") ? Kind.FATAL : null;
    };
  }

  /** A sentence an operator can act on, for a fatal failure. */
  static String advice(Throwable t) {
    String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof AuthenticationException) {
        return "Kafka refused the credentials: check kafka.sasl.* / kafka.ssl.* settings.";
      }
      if (c instanceof AuthorizationException) {
        return "Kafka denied access: grant this principal READ on the topic and the consumer"
            + " group, and WRITE on the .dlq topic.";
      }
      if (c instanceof SQLException e && e.getSQLState() != null) {
        if (e.getSQLState().startsWith("28")) {
          return "PostgreSQL refused the login: check db.user / db.password (URSPRUNG_DB_USER,"
              + " URSPRUNG_DB_PASSWORD) and pg_hba.conf.";
        }
        if (e.getSQLState().equals("3D000")) {
          return "The database in db.url does not exist: create it (createdb) or fix db.url.";
        }
        if (e.getSQLState().equals("42501")) {
          return "The database user lacks a privilege: it must own the schema (migrations) and"
              + " INSERT/UPDATE/SELECT the graph tables.";
        }
      }
    }
    return m.contains("topic")
        ? "Check the topic name (kafka.topic)."
        : "Check the configuration (--config, URSPRUNG_* variables).";
  }
}
