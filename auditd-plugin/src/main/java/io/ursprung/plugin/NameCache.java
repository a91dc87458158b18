package io.ursprung.plugin;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caches id → name lookups for the audit processor. An NSS lookup can go to LDAP and take
 * milliseconds, while the same few uids appear in every event; names change rarely, so a found name
 * is kept for ten minutes and a miss for one (a new account becomes visible soon).
 *
 * <p>Returns {@code null} when the id has no name or the lookup failed (failures are logged, at
 * most once a minute).
 */
final class NameCache implements IntFunction<String> {

  private static final Logger LOG = LoggerFactory.getLogger(NameCache.class);
  private static final long HIT_TTL = 10 * 60_000;
  private static final long MISS_TTL = 60_000;
  private static final int MAX_ENTRIES = 100_000;

  /** A lookup that may fail with a runtime exception. */
  interface Lookup {
    Optional<String> name(int id);
  }

  private record Entry(String name, long expires) {}

  private final String what;
  private final Lookup lookup;
  private final LongSupplier clock;
  private final ConcurrentHashMap<Integer, Entry> cache = new ConcurrentHashMap<>();
  private volatile long lastErrorLog;

  NameCache(String what, Lookup lookup, LongSupplier clock) {
    this.what = what;
    this.lookup = lookup;
    this.clock = clock;
  }

  @Override
  public String apply(int id) {
    long now = clock.getAsLong();
    Entry e = cache.get(id);
    if (e != null && e.expires() > now) {
      return e.name();
    }
    String name;
    try {
      name = lookup.name(id).orElse(null);
    } catch (RuntimeException ex) {
      if (now - lastErrorLog > 60_000) {
        lastErrorLog = now;
        LOG.warn(
            "cannot look up the {} name of id {}: {}",
            what,
            Integer.toUnsignedString(id),
            ex.toString());
      }
      // Keep a stale name rather than none; retry after the miss time-out.
      name = e == null ? null : e.name();
    }
    if (cache.size() >= MAX_ENTRIES) {
      cache.clear(); // crude, but a hundred thousand distinct ids on one worker is an anomaly
    }
    cache.put(id, new Entry(name, now + (name == null ? MISS_TTL : HIT_TTL)));
    return name;
  }
}
