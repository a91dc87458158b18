package io.ursprung.db.auth;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A user to create or replace.
 *
 * @param name 1 to 64 characters of letters, digits, {@code . _ -}, starting with a letter
 * @param password at least 12 characters
 * @param role viewer or admin
 * @param uids the user's own uids (0 to 2^31-1)
 * @param gids groups granted to the user
 */
public record NewUser(
    String name, char[] password, Role role, List<Integer> uids, List<Integer> gids) {

  /** Allowed user names. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

  /** Shortest password accepted. */
  public static final int MIN_PASSWORD = 12;

  public NewUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(role, "role");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name must match " + NAME.pattern());
    }
    if (password.length < MIN_PASSWORD) {
      throw new IllegalArgumentException("password must have at least 12 characters");
    }
    uids = List.copyOf(uids);
    gids = List.copyOf(gids);
    for (int id : uids) {
      if (id < 0) {
        throw new IllegalArgumentException("uids are not negative");
      }
    }
    for (int id : gids) {
      if (id < 0) {
        throw new IllegalArgumentException("gids are not negative");
      }
    }
  }
}
