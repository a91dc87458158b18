package io.ursprung.provd.spool;

import java.util.OptionalInt;

/** Resolves a user name to its uid (through NSS in provd; a map in tests). */
@FunctionalInterface
public interface UserResolver {
  /**
   * The uid, or empty when no such user exists.
   *
   * @throws Exception when the look-up itself failed (the directory service is unreachable)
   */
  OptionalInt uidOf(String userName) throws Exception;
}
