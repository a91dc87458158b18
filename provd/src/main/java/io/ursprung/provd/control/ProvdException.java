package io.ursprung.provd.control;

/**
 * provd refused a request or answered something the client does not understand. {@link #refused()}
 * tells a refusal (authentication, replay, cap, no such process: the same request will fail again)
 * from a transport problem (connection lost: retrying can help).
 */
public final class ProvdException extends Exception {
  private final boolean refused;

  public ProvdException(String message, boolean refused) {
    super(message);
    this.refused = refused;
  }

  public ProvdException(String message, Throwable cause) {
    super(message, cause);
    this.refused = false;
  }

  /** Whether provd refused the request (as opposed to the connection failing). */
  public boolean refused() {
    return refused;
  }
}
