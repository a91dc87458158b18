package io.ursprung.db.auth;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking, and therefore which provenance a query may return: processes running as one of
 * {@code uids} or in one of {@code gids}, or everything for an admin. Files are visible through the
 * visible processes that read or wrote them. Every query method takes one, so no code path can
 * forget the filter.
 *
 * @param userId the user's id
 * @param name the user's name
 * @param role viewer or admin
 * @param uids the user's own uids
 * @param gids gids granted to the user
 */
public record Viewer(long userId, String name, Role role, Set<Integer> uids, Set<Integer> gids) {
  public Viewer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    uids = Set.copyOf(uids);
    gids = Set.copyOf(gids);
  }

  /** Whether this viewer sees everything. */
  public boolean seesAll() {
    return role == Role.ADMIN;
  }

  /** Whether a process with these credentials is visible. */
  public boolean sees(Integer uid, Integer gid) {
    return seesAll() || (uid != null && uids.contains(uid)) || (gid != null && gids.contains(gid));
  }

  /** The uids as an array, for SQL {@code = ANY(?)}. */
  public Integer[] uidArray() {
    return uids.toArray(Integer[]::new);
  }

  /** The gids as an array, for SQL {@code = ANY(?)}. */
  public Integer[] gidArray() {
    return gids.toArray(Integer[]::new);
  }
}
