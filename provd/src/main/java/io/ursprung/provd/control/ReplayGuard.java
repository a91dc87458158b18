package io.ursprung.provd.control;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Refuses requests whose timestamp is outside the accepted clock skew, and requests whose nonce was
 * already seen within it. Together with the server's per-connection challenge this means a recorded
 * request can be played neither on a new connection (wrong challenge) nor again within the window
 * (nonce seen), nor later (stale timestamp). Thread-safe.
 *
 * <p>The memory is bounded: when it is full of unexpired nonces, requests are refused (fail closed)
 * rather than forgetting nonces that could then be replayed.
 */
public final class ReplayGuard {
  private final long skewMillis;
  private final int capacity;
  private final Set<String> seen = new HashSet<>();
  private final Deque<Entry> byTime = new ArrayDeque<>();

  private record Entry(long expires, String nonce) {}

  public ReplayGuard(long skewMillis, int capacity) {
    if (skewMillis < 1 || capacity < 1) {
      throw new IllegalArgumentException("skew and capacity must be positive");
    }
    this.skewMillis = skewMillis;
    this.capacity = capacity;
  }

  /**
   * Checks and records a request.
   *
   * @return {@code null} when it is fresh, otherwise why it is refused
   */
  public synchronized String check(long timestamp, String nonce, long nowMillis) {
    while (!byTime.isEmpty() && byTime.peekFirst().expires() < nowMillis) {
      seen.remove(byTime.removeFirst().nonce());
    }
    if (nonce == null || nonce.length() < 16 || nonce.length() > 128) {
      return "nonce missing or malformed";
    }
    if (Math.abs(nowMillis - timestamp) > skewMillis) {
      return "timestamp is "
          + (nowMillis - timestamp)
          + " ms off this host's clock (accepted: "
          + skewMillis
          + " ms)";
    }
    if (seen.contains(nonce)) {
      return "nonce already used (replayed request)";
    }
    if (seen.size() >= capacity) {
      return "too many requests within the replay window";
    }
    seen.add(nonce);
    // A nonce must be remembered as long as its timestamp could still be accepted.
    byTime.addLast(new Entry(Math.max(nowMillis, timestamp) + skewMillis, nonce));
    return null;
  }
}
