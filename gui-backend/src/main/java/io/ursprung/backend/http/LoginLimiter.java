package io.ursprung.backend.http;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sliding-window limits on logins: every attempt from one client address, and failed attempts for
 * one user name. Password hashing is deliberately slow, so the address limit also keeps a flood of
 * logins from eating the CPU. In memory: a restart forgets, which costs an attacker one window.
 */
public final class LoginLimiter {
  private final int perAddress;
  private final int failuresPerUser;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Long>> attempts = new ConcurrentHashMap<>();
  private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

  /**
   * @param perAddress attempts allowed per address in a window
   * @param failuresPerUser failures allowed per user name in a window
   * @param window the window
   * @param clock time
   */
  public LoginLimiter(int perAddress, int failuresPerUser, Duration window, Clock clock) {
    this.perAddress = perAddress;
    this.failuresPerUser = failuresPerUser;
    this.window = window;
    this.clock = clock;
  }

  /** Records an attempt and says how long the caller must wait, or zero when it may go ahead. */
  public Duration attempt(String address, String user) {
    long now = clock.millis();
    Duration wait = waitFor(failures, "u:" + user, failuresPerUser, now);
    if (!wait.isZero()) {
      return wait;
    }
    wait = waitFor(attempts, "a:" + address, perAddress, now);
    if (!wait.isZero()) {
      return wait;
    }
    attempts.computeIfAbsent("a:" + address, k -> new ArrayDeque<>());
    Deque<Long> q = attempts.get("a:" + address);
    synchronized (q) {
      q.addLast(now);
    }
    return Duration.ZERO;
  }

  /** Records a failed attempt for a user name. */
  public void failed(String user) {
    Deque<Long> q = failures.computeIfAbsent("u:" + user, k -> new ArrayDeque<>());
    synchronized (q) {
      q.addLast(clock.millis());
    }
  }

  /** Forgets a user's failures after a successful login. */
  public void succeeded(String user) {
    failures.remove("u:" + user);
  }

  private Duration waitFor(Map<String, Deque<Long>> map, String key, int max, long now) {
    Deque<Long> q = map.get(key);
    if (q == null) {
      return Duration.ZERO;
    }
    synchronized (q) {
      long horizon = now - window.toMillis();
      for (Iterator<Long> it = q.iterator(); it.hasNext(); ) {
        if (it.next() <= horizon) {
          it.remove();
        } else {
          break;
        }
      }
      if (q.isEmpty()) {
        map.remove(key, q);
        return Duration.ZERO;
      }
      if (q.size() < max) {
        return Duration.ZERO;
      }
      return Duration.ofMillis(Math.max(1, q.peekFirst() + window.toMillis() - now));
    }
  }
}
