package io.ursprung.db.lineage;

import io.ursprung.db.auth.Viewer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small lookups about files shared by the query services. */
public final class Files {
  private Files() {}

  /** The inode that most recently had {@code path} as a name on {@code host}. */
  public static Optional<FileRef> resolve(Connection c, String host, String path)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            // path_key: the index's key (V86), the path itself unless it is very long.
            "SELECT fs, inode FROM file_names WHERE path_key(path) = path_key(?) AND path = ?"
                + " AND host = ? ORDER BY time DESC LIMIT 1")) {
      ps.setString(1, path);
      ps.setString(2, path);
      ps.setString(3, host);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new FileRef(host, rs.getString(1), rs.getLong(2)))
            : Optional.empty();
      }
    }
  }

  /** Whether anything is known about the inode. */
  public static boolean exists(Connection c, FileRef f) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM file_names WHERE host = ? AND fs = ? AND inode = ?)"
                + " OR EXISTS (SELECT 1 FROM file_versions WHERE host = ? AND fs = ? AND inode = ?)"
                + " OR EXISTS (SELECT 1 FROM used WHERE file_host = ? AND fs = ? AND inode = ?)")) {
      for (int i = 0; i < 3; i++) {
        ps.setString(i * 3 + 1, f.host());
        ps.setString(i * 3 + 2, f.fs());
        ps.setLong(i * 3 + 3, f.inode());
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** The times of the inode's versions, oldest first (version n is element n-1). */
  public static List<Instant> versionTimes(Connection c, FileRef f) throws SQLException {
    List<Instant> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT version_time FROM file_versions WHERE host = ? AND fs = ?"
                + " AND inode = ? ORDER BY version_time")) {
      ps.setString(1, f.host());
      ps.setString(2, f.fs());
      ps.setLong(3, f.inode());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(JdbcLineageService.instant(rs, 1));
        }
      }
    }
    return out;
  }

  /**
   * Whether the viewer may see a file: an admin always; others when one of their visible processes
   * wrote or read it.
   */
  public static boolean visible(Connection c, Viewer viewer, FileRef f) throws SQLException {
    if (viewer.seesAll()) {
      return true;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM file_versions v JOIN processes p"
                + "  ON p.host = v.proc_host AND p.pid = v.pid AND p.start_time = v.start_time"
                + "  WHERE v.host = ? AND v.fs = ? AND v.inode = ?"
                + "  AND (p.uid = ANY (?) OR p.gid = ANY (?)))"
                + " OR EXISTS (SELECT 1 FROM used u JOIN processes p"
                + "  ON p.host = u.host AND p.pid = u.pid AND p.start_time = u.start_time"
                + "  WHERE u.file_host = ? AND u.fs = ? AND u.inode = ?"
                + "  AND (p.uid = ANY (?) OR p.gid = ANY (?)))")) {
      for (int i = 0; i < 2; i++) {
        ps.setString(i * 5 + 1, f.host());
        ps.setString(i * 5 + 2, f.fs());
        ps.setLong(i * 5 + 3, f.inode());
        ps.setArray(i * 5 + 4, c.createArrayOf("integer", viewer.uidArray()));
        ps.setArray(i * 5 + 5, c.createArrayOf("integer", viewer.gidArray()));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
