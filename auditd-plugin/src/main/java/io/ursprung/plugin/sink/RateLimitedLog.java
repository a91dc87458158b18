package io.ursprung.plugin.sink;

import org.slf4j.Logger;

/**
 * Logs at most one message per interval, so that a condition that repeats per event (spool full) is
 * visible without flooding the log; the counters carry the totals.
 */
final class RateLimitedLog {
  private final Logger log;
  private final long intervalMillis;
  private long last = Long.MIN_VALUE / 2;

  RateLimitedLog(Logger log, long intervalMillis) {
    this.log = log;
    this.intervalMillis = intervalMillis;
  }

  synchronized void error(String format, Object... args) {
    long now = System.currentTimeMillis();
    if (now - last >= intervalMillis) {
      last = now;
      log.error(format, args);
    }
  }
}
