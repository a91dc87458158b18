package io.ursprung.plugin.model;

import io.ursprung.plugin.audit.AuditRecord;
import java.util.HashMap;
import java.util.function.IntFunction;

/**
 * User and group names by id, looked up once. Names auditd already put into the ENRICHED tail are
 * preferred: they were resolved on the host the record comes from, which matters when replaying
 * another machine's log.
 */
final class NameCache {
  private static final String NONE = new String("");

  private final IntFunction<String> users;
  private final IntFunction<String> groups;
  private final HashMap<Integer, String> userCache = new HashMap<>();
  private final HashMap<Integer, String> groupCache = new HashMap<>();

  NameCache(IntFunction<String> users, IntFunction<String> groups) {
    this.users = users;
    this.groups = groups;
  }

  String user(int id, AuditRecord source, String enrichedKey) {
    return lookup(userCache, users, id, source, enrichedKey);
  }

  String group(int id, AuditRecord source, String enrichedKey) {
    return lookup(groupCache, groups, id, source, enrichedKey);
  }

  private static String lookup(
      HashMap<Integer, String> cache,
      IntFunction<String> resolver,
      int id,
      AuditRecord source,
      String enrichedKey) {
    String v = cache.get(id);
    if (v == null) {
      v = source == null ? null : source.enriched(enrichedKey);
      if (v != null && (v.equals("unset") || v.startsWith("unknown("))) {
        v = null;
      }
      if (v == null && resolver != null) {
        try {
          v = resolver.apply(id);
        } catch (RuntimeException e) {
          v = null; // an NSS failure must not stop the stream; the id is still reported
        }
      }
      cache.put(id, v == null ? NONE : v);
      return v;
    }
    return v == NONE ? null : v;
  }
}
