package io.ursprung.db.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The database roles of the job audit tables (created by migration V60). Code that writes or reads
 * them switches to the role for the transaction, so that what it may do is decided by PostgreSQL's
 * privileges, not by this code: the loader can only INSERT, the viewer only SELECT.
 */
public final class JobRoles {
  /** May only INSERT into the job tables. */
  public static final String LOADER = "ursprung_job_loader";

  /** May only SELECT from the job tables and views. */
  public static final String VIEWER = "ursprung_job_viewer";

  private JobRoles() {}

  /**
   * {@code SET LOCAL ROLE role} when the session user may (a member, or a superuser); otherwise
   * leaves the role alone, because a site that did not let the migration create the roles still has
   * to work. Must run inside a transaction (autocommit off).
   *
   * @return whether the role is now in effect
   */
  public static boolean assume(Connection c, String role) throws SQLException {
    // One round trip; CASE keeps pg_has_role from seeing a role that does not exist.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)"
                + " THEN CASE WHEN pg_has_role(current_user, ?, 'MEMBER')"
                + " THEN set_config('role', ?, true) END END")) {
      ps.setString(1, role);
      ps.setString(2, role);
      ps.setString(3, role);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getString(1) != null;
      }
    }
  }
}
