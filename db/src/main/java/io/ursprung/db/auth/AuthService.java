package io.ursprung.db.auth;

import java.util.List;
import java.util.Optional;

/** Logins, bearer tokens and users. Implemented over the store by {@link JdbcAuthService}. */
public interface AuthService {

  /**
   * Checks a name and password and opens a session.
   *
   * @return the session, or empty when the name is unknown or the password wrong (not told apart)
   */
  Optional<Session> login(String name, char[] password);

  /** The viewer a bearer token belongs to, or empty when it is unknown or expired. */
  Optional<Viewer> authenticate(String token);

  /** Revokes a token; unknown tokens are ignored. */
  void logout(String token);

  /**
   * Makes {@code token} the built-in admin's token (from {@code URSPRUNG_ADMIN_TOKEN}), replacing
   * any earlier one from the environment.
   */
  void setAdminToken(String token);

  /** Every user, by name. */
  List<UserInfo> users();

  /** One user. */
  Optional<UserInfo> user(String name);

  /**
   * Creates a user or replaces its password, role and grants.
   *
   * @return true when it was created, false when replaced
   * @throws IllegalArgumentException for the built-in admin
   */
  boolean putUser(NewUser user);

  /**
   * Deletes a user and its tokens.
   *
   * @return whether it existed
   * @throws IllegalArgumentException for the built-in admin
   */
  boolean deleteUser(String name);
}
