package io.ursprung.events;

/**
 * A message that is not a valid event. Permanent: retrying cannot help, so consumers dead-letter
 * the message with {@link #getMessage()} as the reason.
 */
public class MalformedEventException extends Exception {
  public MalformedEventException(String message) {
    super(message);
  }

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
