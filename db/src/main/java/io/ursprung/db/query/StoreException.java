package io.ursprung.db.query;

/**
 * The provenance store could not answer (connection lost, database down, a query failed).
 * Unchecked, because callers can only report it; the REST layer turns it into a 503.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
