package io.ursprung.provd.control;

import java.util.Objects;

/**
 * One request on the control port, without its MAC.
 *
 * @param op {@code capture}, {@code stop} or {@code status}
 * @param pid the process ({@code 0} for {@code status})
 * @param regex for {@code capture}: lines must match it entirely; {@code null} otherwise
 * @param timestamp the client's clock, milliseconds since the epoch
 * @param nonce a random value the client never uses twice
 */
public record ControlRequest(String op, int pid, String regex, long timestamp, String nonce) {
  public static final String CAPTURE = "capture";
  public static final String STOP = "stop";
  public static final String STATUS = "status";

  public ControlRequest {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(nonce, "nonce");
  }

  /** A request stamped with the current time and a fresh nonce. */
  public static ControlRequest now(String op, int pid, String regex) {
    return new ControlRequest(op, pid, regex, System.currentTimeMillis(), RequestAuth.newNonce());
  }
}
