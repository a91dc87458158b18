package io.ursprung.backend;

import io.ursprung.db.auth.AuthService;
import io.ursprung.db.auth.NewUser;
import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Session;
import io.ursprung.db.auth.UserInfo;
import io.ursprung.db.auth.Viewer;
import io.ursprung.db.lineage.Direction;
import io.ursprung.db.lineage.Edge;
import io.ursprung.db.lineage.FileNode;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.lineage.LineageService;
import io.ursprung.db.lineage.NodeId;
import io.ursprung.db.lineage.ProcessNode;
import io.ursprung.db.query.FileDetails;
import io.ursprung.db.query.Page;
import io.ursprung.db.query.ProcessDetails;
import io.ursprung.db.query.ProcessSearch;
import io.ursprung.db.query.ProcessSummary;
import io.ursprung.db.query.ProvenanceQueries;
import io.ursprung.db.query.ReproducePlan;
import io.ursprung.db.query.RunComparison;
import io.ursprung.db.query.RunSummary;
import io.ursprung.db.rules.TrackedVersion;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** In-memory services for handler tests; they record what the handlers asked for. */
final class Fakes {
  static final String ADMIN_TOKEN = "admin-token-0123456789";
  static final String BOB_TOKEN = "bob-token-0123456789";
  static final Viewer ADMIN = new Viewer(1, "admin", Role.ADMIN, Set.of(), Set.of());
  static final Viewer BOB = new Viewer(2, "bob", Role.VIEWER, Set.of(1001), Set.of());
  static final Instant T0 = Instant.parse("2026-11-20T09:14:03.512Z");

  /** Every string a handler passed to a service, to check hostile input arrives as plain data. */
  final List<String> seen = new ArrayList<>();

  Services services() {
    return new Services(new Auth(), new Lineage(), new Queries());
  }

  final class Auth implements AuthService {
    @Override
    public Optional<Session> login(String name, char[] password) {
      if (name.equals("bob") && new String(password).equals("correct horse battery")) {
        return Optional.of(
            new Session(
                BOB_TOKEN, T0, new UserInfo("bob", "viewer", List.of(1001), List.of(), false)));
      }
      return Optional.empty();
    }

    @Override
    public Optional<Viewer> authenticate(String token) {
      return switch (token) {
        case ADMIN_TOKEN -> Optional.of(ADMIN);
        case BOB_TOKEN -> Optional.of(BOB);
        default -> Optional.empty();
      };
    }

    @Override
    public void logout(String token) {}

    @Override
    public void setAdminToken(String token) {}

    @Override
    public List<UserInfo> users() {
      return List.of();
    }

    @Override
    public Optional<UserInfo> user(String name) {
      return Optional.empty();
    }

    @Override
    public boolean putUser(NewUser user) {
      return true;
    }

    @Override
    public boolean deleteUser(String name) {
      return false;
    }
  }

  static LineageGraph graph() {
    String proc = new NodeId.Process("worker01", 42, T0).text();
    String out = new NodeId.FileVersion("worker01", "253:1", 7, T0.plusSeconds(1)).text();
    String in = new NodeId.FileVersion("worker01", "253:1", 8, null).text();
    return new LineageGraph(
        List.of(
            new FileNode(
                out,
                "file",
                "worker01",
                "/home/bob/out.csv",
                1,
                T0.plusSeconds(1),
                "253:1",
                7,
                10L,
                0),
            new ProcessNode(
                proc,
                "process",
                "worker01",
                42,
                "sort in.csv",
                "/home/bob",
                "bob",
                1001,
                T0,
                T0.plusSeconds(2),
                0,
                "/usr/bin/sort",
                1),
            new FileNode(in, "file", "worker01", "/home/bob/in.csv", 0, null, "253:1", 8, null, 2)),
        List.of(new Edge(out, proc, "wasGeneratedBy", "write"), new Edge(proc, in, "used", "read")),
        false);
  }

  final class Lineage implements LineageService {
    @Override
    public Optional<LineageGraph> fromFile(
        Viewer viewer,
        String host,
        String path,
        Integer version,
        Direction d,
        int depth,
        int limit) {
      seen.add(path);
      return path.equals("/home/bob/out.csv") && viewer.sees(1001, null)
          ? Optional.of(graph())
          : Optional.empty();
    }

    @Override
    public Optional<LineageGraph> fromNode(
        Viewer viewer, NodeId node, Direction d, int depth, int limit) {
      seen.add(node.text());
      return Optional.empty();
    }

    @Override
    public Optional<LineageGraph> neighbourhood(Viewer viewer, NodeId node, int offset, int limit) {
      return Optional.of(graph());
    }
  }

  final class Queries implements ProvenanceQueries {
    @Override
    public Page<io.ursprung.db.query.FileSummary> searchFiles(
        Viewer viewer, String pattern, boolean glob, String host, int offset, int limit) {
      seen.add(pattern);
      return new Page<>(List.of(), offset, limit, false);
    }

    @Override
    public Page<ProcessSummary> searchProcesses(
        Viewer viewer, ProcessSearch search, int offset, int limit) {
      seen.add(String.valueOf(search.text()));
      return new Page<>(List.of(), offset, limit, false);
    }

    @Override
    public Optional<ProcessDetails> process(Viewer viewer, NodeId.Process id) {
      return Optional.empty();
    }

    @Override
    public Optional<FileDetails> file(Viewer viewer, NodeId.FileVersion id) {
      return Optional.empty();
    }

    @Override
    public Page<RunSummary> runs(
        Viewer viewer, String user, String host, Instant from, Instant to, int offset, int limit) {
      return new Page<>(List.of(), offset, limit, false);
    }

    @Override
    public Optional<RunComparison> compareRuns(Viewer viewer, List<String> runIds) {
      return Optional.empty();
    }

    @Override
    public Optional<ReproducePlan> reproduce(Viewer viewer, String host, String path) {
      return Optional.of(new ReproducePlan("f:x", path, List.of(), "#!/bin/sh\n", false));
    }
  }

  /**
   * A JDBC data source for the services that take one (alerts, tracked content): it answers the
   * tracked-version lookup from {@link #tracked}, keyed by event id, and an empty result to
   * anything else; {@link #down} makes every connection fail, as when the database is unreachable.
   */
  static final class Store {
    final Map<String, TrackedVersion> tracked = new HashMap<>();
    volatile boolean down;

    DataSource dataSource() {
      return proxy(
          DataSource.class,
          (method, args) -> {
            if (method.equals("getConnection")) {
              if (down) {
                throw new SQLException("connection refused");
              }
              return connection();
            }
            throw new UnsupportedOperationException(method);
          });
    }

    private Connection connection() {
      return proxy(
          Connection.class,
          (method, args) ->
              switch (method) {
                case "prepareStatement" -> statement();
                case "close" -> null;
                default -> throw new UnsupportedOperationException(method);
              });
    }

    private PreparedStatement statement() {
      Map<Integer, Object> params = new HashMap<>();
      return proxy(
          PreparedStatement.class,
          (method, args) ->
              switch (method) {
                case "setObject", "setString", "setTimestamp", "setInt" -> {
                  params.put((Integer) args[0], args[1]);
                  yield null;
                }
                case "executeQuery" ->
                    rows(
                        tracked.containsKey(String.valueOf(params.get(2)))
                            ? List.of(tracked.get(String.valueOf(params.get(2))))
                            : List.of());
                case "close" -> null;
                default -> throw new UnsupportedOperationException(method);
              });
    }

    private static ResultSet rows(List<TrackedVersion> rows) {
      int[] at = {-1};
      return proxy(
          ResultSet.class,
          (method, args) -> {
            if (method.equals("next")) {
              return ++at[0] < rows.size();
            }
            if (method.equals("close")) {
              return null;
            }
            TrackedVersion v = rows.get(at[0]);
            Object[] columns = {
              v.host(),
              v.eventId(),
              v.fs(),
              v.inode(),
              v.path(),
              Timestamp.from(v.versionTime()),
              v.repository(),
              v.repoPath(),
              v.commitId(),
              v.size()
            };
            return columns[(Integer) args[0] - 1];
          });
    }

    private interface Call {
      Object call(String method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Call call) {
      return type.cast(
          Proxy.newProxyInstance(
              Fakes.class.getClassLoader(),
              new Class<?>[] {type},
              (self, method, args) -> call.call(method.getName(), args)));
    }
  }

  static Map<String, String> env() {
    return Map.of();
  }
}
