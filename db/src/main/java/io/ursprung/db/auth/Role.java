package io.ursprung.db.auth;

import java.util.Locale;

/**
 * What a user may do: viewers read the provenance they are granted; admins read all, manage users.
 */
public enum Role {
  VIEWER,
  ADMIN;

  /** The name stored in the database and shown in the API. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code viewer} or {@code admin}; anything else is an {@link IllegalArgumentException}.
   */
  public static Role parse(String s) {
    for (Role r : values()) {
      if (r.wireName().equals(s)) {
        return r;
      }
    }
    throw new IllegalArgumentException("role must be viewer or admin");
  }
}
