package io.ursprung.db.auth;

import java.util.List;
import java.util.Objects;

/**
 * A user as the API shows it (never with the password hash).
 *
 * @param name login name
 * @param role viewer or admin
 * @param uids the user's own uids
 * @param gids groups granted to the user
 * @param builtin whether this is the built-in admin
 */
public record UserInfo(
    String name, String role, List<Integer> uids, List<Integer> gids, boolean builtin) {
  public UserInfo {
    Objects.requireNonNull(name, "name");
    uids = List.copyOf(uids);
    gids = List.copyOf(gids);
  }
}
