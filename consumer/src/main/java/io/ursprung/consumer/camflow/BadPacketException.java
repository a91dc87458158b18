package io.ursprung.consumer.camflow;

/** A packet that can never be used; it goes to the dead-letter table with {@link #getMessage}. */
public final class BadPacketException extends Exception {
  public BadPacketException(String reason) {
    super(reason);
  }

  public BadPacketException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
