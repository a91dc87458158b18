package io.ursprung.db.rules;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Content and diffs of the file versions {@code TRACK} rule actions committed to git, for the REST
 * API: list a file's tracked versions, fetch one version's bytes, diff two versions (or a version
 * against nothing). The repositories must be readable from where this runs (the consumer's host, or
 * a shared file system).
 */
public final class TrackedContent {
  private static final String COLUMNS =
      "host, event_id, fs, inode, path, version_time, repository, repo_path, commit_id, size";

  private final DataSource dataSource;

  public TrackedContent(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** Thrown when a version's content is larger than the caller accepts. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  /** The tracked versions of one file (host, fs, inode), oldest first; renames included. */
  public List<TrackedVersion> versions(String host, String fs, long inode) throws SQLException {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM tracked_versions WHERE host = ? AND fs = ? AND inode = ?"
            + " ORDER BY version_time, event_id",
        host,
        fs,
        inode);
  }

  /** The tracked versions of files that had {@code path} when tracked, oldest first. */
  public List<TrackedVersion> versionsByPath(String path) throws SQLException {
    return query(
        "SELECT "
            + COLUMNS
            // path_key: the index's key (V86), the path itself unless it is very long.
            + " FROM tracked_versions WHERE path_key(path) = path_key(?) AND path = ?"
            + " ORDER BY version_time, event_id",
        path,
        path);
  }

  /** The tracked version made by the file version (host, eventId) of the graph, if any. */
  public Optional<TrackedVersion> version(String host, String eventId) throws SQLException {
    List<TrackedVersion> l =
        query(
            "SELECT "
                + COLUMNS
                + " FROM tracked_versions WHERE host = ? AND event_id = ? ORDER BY tracked_at"
                + " LIMIT 1",
            host,
            eventId);
    return l.stream().findFirst();
  }

  /**
   * The bytes of a version.
   *
   * @throws TooLargeException when the content is larger than {@code maxBytes}
   */
  public byte[] content(TrackedVersion v, long maxBytes) throws IOException {
    try (Repository repo = open(v.repository());
        RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(v.commitId()));
      try (TreeWalk tw = TreeWalk.forPath(repo, v.repoPath(), commit.getTree())) {
        if (tw == null) {
          throw new IOException(v.repoPath() + " is not in commit " + v.commitId());
        }
        ObjectLoader loader = repo.open(tw.getObjectId(0));
        if (loader.getSize() > maxBytes) {
          throw new TooLargeException(
              v.path() + " version is " + loader.getSize() + " bytes, more than " + maxBytes);
        }
        return loader.getBytes();
      }
    }
  }

  /**
   * A unified diff (git format) from {@code from} to {@code to}, which must be versions of the same
   * file in the same repository; {@code from} null diffs against nothing (everything added).
   */
  public String diff(TrackedVersion from, TrackedVersion to) throws IOException {
    Objects.requireNonNull(to, "to");
    if (from != null
        && (!from.repository().equals(to.repository()) || !from.repoPath().equals(to.repoPath()))) {
      throw new IllegalArgumentException("versions of different files");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Repository repo = open(to.repository());
        RevWalk walk = new RevWalk(repo);
        DiffFormatter f = new DiffFormatter(out)) {
      f.setRepository(repo);
      f.setPathFilter(PathFilter.create(to.repoPath()));
      RevCommit b = walk.parseCommit(ObjectId.fromString(to.commitId()));
      RevCommit a = from == null ? null : walk.parseCommit(ObjectId.fromString(from.commitId()));
      f.format(a == null ? null : a.getTree(), b.getTree());
      f.flush();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Repository open(String repository) throws IOException {
    return new FileRepositoryBuilder()
        .setGitDir(new File(repository))
        .setMustExist(true)
        .setBare()
        .build();
  }

  private List<TrackedVersion> query(String sql, Object... params) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<TrackedVersion> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new TrackedVersion(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getTimestamp(6).toInstant(),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getString(9),
                  rs.getLong(10)));
        }
      }
      return out;
    }
  }
}
