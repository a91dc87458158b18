package io.ursprung.consumer.rules;

import io.ursprung.db.graph.Rows;
import io.ursprung.rules.Action;
import io.ursprung.rules.Rule;
import io.ursprung.rules.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * {@code TRACK pathRegex [AT repository] INTO target}: commits the content of a file, when the
 * triggering event's path (for a rename: the new name) fully matches {@code pathRegex}, into a bare
 * git repository written with JGit (no git binary, no shell).
 *
 * <p>One history per file identity: the identity is the file's graph key (host, fs, inode; Scale:
 * cluster, file system, inode), which a rename keeps. Each identity has its own branch {@code
 * refs/heads/<host>/<fs>/<inode>} whose commits hold one file at that same path; the commit message
 * names the file's path at the time. Content equal to the branch's last commit makes no new commit
 * (a rename, or the same version seen twice) and is linked to that commit.
 *
 * <p>Each version is linked to its file version in the graph by a {@code tracked_versions} row
 * (host, event_id of the triggering event = {@code file_versions} key), from which {@code
 * io.ursprung.db.rules.TrackedContent} serves content and diffs. Record values (database columns
 * match by name, case and underscores ignored): {@code host} (graph host; also {@code cluster}),
 * {@code node} (event host), {@code fs}, {@code path}, {@code inode}, {@code time}, {@code commit},
 * {@code repository}, {@code size}, {@code event_id}; into a file: {@code
 * time,host,path,inode,commit}.
 */
final class TrackAction implements AutoCloseable {
  static final List<String> FILE_ORDER = List.of("time", "host", "path", "inode", "commit");
  static final Map<String, String> ALIASES =
      Map.of(
          "cluster", "host",
          "clustername", "host",
          "nodename", "node",
          "fsname", "fs",
          "eventtime", "time",
          "versiontime", "time",
          "commitid", "commit",
          "repo", "repository",
          "eventid", "eventid");
  private static final PersonIdent IDENT = new PersonIdent("ursprung", "ursprung@localhost");

  private final Outputs outputs;
  private final Path defaultRepository;
  private final Map<Path, Repository> repositories = new HashMap<>();

  TrackAction(Outputs outputs, Path defaultRepository) {
    this.outputs = outputs;
    this.defaultRepository = defaultRepository;
  }

  void run(Rule rule, Action.Track a, WorkItem item) throws Exception {
    String op = item.text("op");
    String path =
        "rename".equals(op) && item.text("targetPath") != null
            ? item.text("targetPath")
            : item.text("path");
    if (path == null || !a.pathRegex().matchesFully(path)) {
      outputs.run(null, item, u -> null); // nothing to track: just finish the item
      return;
    }
    Path repoDir =
        a.repository().map(Path::of).orElse(defaultRepository).toAbsolutePath().normalize();
    Object device = item.fields().get("device");
    Object inodeValue =
        item.fields().get("inode") != null
            ? item.fields().get("inode")
            : item.fields().get("targetInode");
    Rows.FileKey key =
        Rows.FileKey.of(
            item.graphHost(),
            device == null ? null : device.toString(),
            inodeValue instanceof Long l ? l : null,
            path);
    String repoPath =
        safe(key.host()) + "/" + safe(key.fs()) + "/" + Long.toUnsignedString(key.inode());
    String repository = repoDir.toString();
    if (alreadyTracked(item, repository)) {
      outputs.run(null, item, u -> null);
      return;
    }
    Path file = Path.of(path);
    if (!Files.isRegularFile(file)) {
      throw new PermanentException(path + " is gone (or not a regular file) before it was tracked");
    }
    long size = Files.size(file);
    String commit = commit(repoDir, repoPath, file, path + " (" + item.eventId() + ")");
    Map<String, String> values = new LinkedHashMap<>();
    values.put("host", key.host());
    values.put("node", item.eventHost());
    values.put("fs", key.fs());
    values.put("path", path);
    values.put("inode", Long.toString(key.inode()));
    values.put("time", item.text("time"));
    values.put("commit", commit);
    values.put("repository", repository);
    values.put("size", Long.toString(size));
    values.put("eventid", item.eventId());
    Target target = a.target();
    String ruleId = rule.id().hex();
    if (outputs.dbOf(target).store()) {
      outputs.run(
          target,
          item,
          u -> {
            if (insert(
                u.connection(), item, key, path, repository, repoPath, commit, size, ruleId)) {
              u.emitNamed(values, ALIASES, FILE_ORDER);
            }
            return null;
          });
      return;
    }
    try (Connection c = outputs.store().dataSource().getConnection()) {
      insert(c, item, key, path, repository, repoPath, commit, size, ruleId);
    }
    String marker = "track:" + item.graphHost() + "/" + item.eventId();
    outputs.run(
        target,
        item,
        u -> {
          if (u.state(ruleId, "TRACK", marker) == null) {
            u.emitNamed(values, ALIASES, FILE_ORDER);
            u.setState(ruleId, "TRACK", marker, commit);
          }
          return null;
        });
  }

  /** A path component safe in a ref name and a tree path. */
  static String safe(String s) {
    String t = s.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (t.isEmpty() || t.startsWith(".") || t.endsWith(".lock")) {
      t = "_" + t;
    }
    return t.replace("..", "_.");
  }

  private boolean alreadyTracked(WorkItem item, String repository) throws SQLException {
    try (Connection c = outputs.store().dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT 1 FROM tracked_versions WHERE host = ? AND event_id = ? AND repository ="
                    + " ?")) {
      ps.setString(1, item.graphHost());
      ps.setString(2, item.eventId());
      ps.setString(3, repository);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static boolean insert(
      Connection c,
      WorkItem item,
      Rows.FileKey key,
      String path,
      String repository,
      String repoPath,
      String commit,
      long size,
      String ruleId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO tracked_versions (host, event_id, fs, inode, path, version_time,"
                + " repository, repo_path, commit_id, size, rule_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, key.host());
      ps.setString(2, item.eventId());
      ps.setString(3, key.fs());
      ps.setLong(4, key.inode());
      ps.setString(5, path);
      ps.setTimestamp(6, Timestamp.from(item.eventTime()));
      ps.setString(7, repository);
      ps.setString(8, repoPath);
      ps.setString(9, commit);
      ps.setLong(10, size);
      ps.setString(11, ruleId);
      return ps.executeUpdate() == 1;
    }
  }

  private synchronized Repository repository(Path dir) throws IOException {
    Repository r = repositories.get(dir);
    if (r == null) {
      r = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
      if (!r.getObjectDatabase().exists()) {
        Files.createDirectories(dir);
        r.create(true);
      }
      repositories.put(dir, r);
    }
    return r;
  }

  /** Commits {@code file} as {@code repoPath} on the identity's branch; returns the commit id. */
  String commit(Path repoDir, String repoPath, Path file, String message) throws IOException {
    Repository repo = repository(repoDir);
    synchronized (repo) {
      String ref = Constants.R_HEADS + repoPath;
      ObjectId head = repo.resolve(ref);
      try (ObjectInserter ins = repo.newObjectInserter();
          RevWalk walk = new RevWalk(repo)) {
        long size = Files.size(file);
        ObjectId blob;
        try (InputStream in = Files.newInputStream(file)) {
          blob = ins.insert(Constants.OBJ_BLOB, size, in);
        }
        RevCommit parent = head == null ? null : walk.parseCommit(head);
        if (parent != null) {
          try (TreeWalk tw = TreeWalk.forPath(repo, repoPath, parent.getTree())) {
            if (tw != null && tw.getObjectId(0).equals(blob)) {
              return parent.name(); // same content: this version is that commit
            }
          }
        }
        DirCache dc = DirCache.newInCore();
        DirCacheBuilder b = dc.builder();
        DirCacheEntry e = new DirCacheEntry(repoPath);
        e.setFileMode(FileMode.REGULAR_FILE);
        e.setObjectId(blob);
        e.setLength(size);
        b.add(e);
        b.finish();
        ObjectId tree = dc.writeTree(ins);
        CommitBuilder cb = new CommitBuilder();
        cb.setTreeId(tree);
        if (parent != null) {
          cb.setParentId(parent);
        }
        PersonIdent now = new PersonIdent(IDENT, java.time.Instant.now(), java.time.ZoneOffset.UTC);
        cb.setAuthor(now);
        cb.setCommitter(now);
        cb.setMessage(message);
        ObjectId commit = ins.insert(cb);
        ins.flush();
        RefUpdate ru = repo.updateRef(ref);
        ru.setNewObjectId(commit);
        ru.setExpectedOldObjectId(head == null ? ObjectId.zeroId() : head);
        ru.setRefLogMessage("track " + message, false);
        RefUpdate.Result r = ru.update(walk);
        if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FAST_FORWARD) {
          throw new IOException("cannot move " + ref + ": " + r);
        }
        return commit.name();
      }
    }
  }

  @Override
  public synchronized void close() {
    repositories.values().forEach(Repository::close);
    repositories.clear();
  }
}
