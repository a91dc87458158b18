package io.ursprung.db.auth;

import io.ursprung.db.query.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link AuthService} over the {@code api_*} tables (migration V20). */
public final class JdbcAuthService implements AuthService {

  /** The built-in admin's name. */
  public static final String ADMIN = "admin";

  private static final String USER_COLUMNS =
      "u.id, u.name, u.role, u.builtin,"
          + " ARRAY(SELECT uid FROM api_user_uids WHERE user_id = u.id ORDER BY uid),"
          + " ARRAY(SELECT gid FROM api_user_gids WHERE user_id = u.id ORDER BY gid)";

  private final DataSource dataSource;
  private final PasswordHasher hasher;
  private final Duration sessionTtl;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param dataSource the store, migrated
   * @param hasher hashes new passwords and verifies old ones
   * @param sessionTtl how long a login token lives
   * @param clock for expiry
   */
  public JdbcAuthService(
      DataSource dataSource, PasswordHasher hasher, Duration sessionTtl, Clock clock) {
    this.dataSource = dataSource;
    this.hasher = hasher;
    this.sessionTtl = sessionTtl;
    this.clock = clock;
  }

  @Override
  public Optional<Session> login(String name, char[] password) {
    try (Connection c = dataSource.getConnection()) {
      String stored = null;
      long userId = -1;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT id, password_hash FROM api_users WHERE name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            userId = rs.getLong(1);
            stored = rs.getString(2);
          }
        }
      }
      if (userId < 0) {
        hasher.burn(password);
        return Optional.empty();
      }
      if (!hasher.verify(password, stored)) {
        return Optional.empty();
      }
      String token = newToken();
      Instant expires = clock.instant().plus(sessionTtl);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO api_tokens (token_sha256, user_id, kind, expires_at)"
                  + " VALUES (?, ?, 'session', ?)")) {
        ps.setBytes(1, digest(token));
        ps.setLong(2, userId);
        ps.setTimestamp(3, Timestamp.from(expires));
        ps.executeUpdate();
      }
      // Expired sessions are swept here rather than by a scheduler: logins are rare and cheap.
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM api_tokens WHERE expires_at < ?")) {
        ps.setTimestamp(1, Timestamp.from(clock.instant()));
        ps.executeUpdate();
      }
      return Optional.of(new Session(token, expires, user(c, name).orElseThrow()));
    } catch (SQLException e) {
      throw new StoreException("login failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<Viewer> authenticate(String token) {
    if (token == null || token.isEmpty() || token.length() > 512) {
      return Optional.empty();
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + USER_COLUMNS
                    + " FROM api_tokens t JOIN api_users u ON u.id = t.user_id"
                    + " WHERE t.token_sha256 = ? AND (t.expires_at IS NULL OR t.expires_at > ?)")) {
      ps.setBytes(1, digest(token));
      ps.setTimestamp(2, Timestamp.from(clock.instant()));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Viewer(
                rs.getLong(1),
                rs.getString(2),
                Role.parse(rs.getString(3)),
                new HashSet<>(ints(rs.getArray(5))),
                new HashSet<>(ints(rs.getArray(6)))));
      }
    } catch (SQLException e) {
      throw new StoreException("token check failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void logout(String token) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "DELETE FROM api_tokens WHERE token_sha256 = ? AND kind = 'session'")) {
      ps.setBytes(1, digest(token));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("logout failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void setAdminToken(String token) {
    if (token.length() < 16) {
      throw new IllegalArgumentException("the admin token needs at least 16 characters");
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement del =
              c.prepareStatement(
                  "DELETE FROM api_tokens WHERE kind = 'environment' AND user_id ="
                      + " (SELECT id FROM api_users WHERE builtin)");
          PreparedStatement ins =
              c.prepareStatement(
                  "INSERT INTO api_tokens (token_sha256, user_id, kind, expires_at)"
                      + " SELECT ?, id, 'environment', NULL FROM api_users WHERE builtin"
                      + " ON CONFLICT (token_sha256) DO NOTHING")) {
        del.executeUpdate();
        ins.setBytes(1, digest(token));
        ins.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot set the admin token: " + e.getMessage(), e);
    }
  }

  @Override
  public List<UserInfo> users() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT " + USER_COLUMNS + " FROM api_users u ORDER BY u.name");
        ResultSet rs = ps.executeQuery()) {
      List<UserInfo> out = new ArrayList<>();
      while (rs.next()) {
        out.add(userInfo(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot list users: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<UserInfo> user(String name) {
    try (Connection c = dataSource.getConnection()) {
      return user(c, name);
    } catch (SQLException e) {
      throw new StoreException("cannot read user: " + e.getMessage(), e);
    }
  }

  private Optional<UserInfo> user(Connection c, String name) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + USER_COLUMNS + " FROM api_users u WHERE u.name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(userInfo(rs)) : Optional.empty();
      }
    }
  }

  @Override
  public boolean putUser(NewUser user) {
    if (user.name().equals(ADMIN)) {
      throw new IllegalArgumentException("the built-in admin cannot be replaced");
    }
    String hash = hasher.hash(user.password());
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean created;
        long id;
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO api_users (name, role, password_hash) VALUES (?, ?, ?)"
                    + " ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role,"
                    + " password_hash = EXCLUDED.password_hash"
                    + " RETURNING id, (xmax = 0)")) {
          ps.setString(1, user.name());
          ps.setString(2, user.role().wireName());
          ps.setString(3, hash);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
            created = rs.getBoolean(2);
          }
        }
        replaceIds(c, "api_user_uids", "uid", id, user.uids());
        replaceIds(c, "api_user_gids", "gid", id, user.gids());
        if (!created) {
          // A changed password or role must not leave old sessions with the old rights.
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM api_tokens WHERE user_id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
          }
        }
        c.commit();
        return created;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store user: " + e.getMessage(), e);
    }
  }

  private static void replaceIds(
      Connection c, String table, String column, long userId, List<Integer> ids)
      throws SQLException {
    // Table and column names are constants of this class, never request data.
    try (PreparedStatement del =
        c.prepareStatement("DELETE FROM " + table + " WHERE user_id = ?")) {
      del.setLong(1, userId);
      del.executeUpdate();
    }
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " (user_id, "
                + column
                + ") SELECT ?, unnest(?::integer[]) ON CONFLICT DO NOTHING")) {
      ins.setLong(1, userId);
      ins.setArray(2, c.createArrayOf("integer", ids.toArray()));
      ins.executeUpdate();
    }
  }

  @Override
  public boolean deleteUser(String name) {
    if (name.equals(ADMIN)) {
      throw new IllegalArgumentException("the built-in admin cannot be deleted");
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("DELETE FROM api_users WHERE name = ? AND NOT builtin")) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new StoreException("cannot delete user: " + e.getMessage(), e);
    }
  }

  private static UserInfo userInfo(ResultSet rs) throws SQLException {
    return new UserInfo(
        rs.getString(2),
        rs.getString(3),
        ints(rs.getArray(5)),
        ints(rs.getArray(6)),
        rs.getBoolean(4));
  }

  private static List<Integer> ints(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    Object[] values = (Object[]) a.getArray();
    List<Integer> out = new ArrayList<>(values.length);
    for (Object v : values) {
      out.add(((Number) v).intValue());
    }
    return out;
  }

  private String newToken() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** SHA-256 of a token, the only form in which tokens are stored. */
  static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
