package io.ursprung.consumer.rules;

/**
 * A work item that cannot succeed however often it is retried (a rule's record does not fit its
 * target's columns, a file that is not a CSV): it is parked as {@code failed} at once with this
 * message instead of being retried.
 */
final class PermanentException extends Exception {
  private static final long serialVersionUID = 1L;

  PermanentException(String message) {
    super(message);
  }

  PermanentException(String message, Throwable cause) {
    super(message, cause);
  }
}
