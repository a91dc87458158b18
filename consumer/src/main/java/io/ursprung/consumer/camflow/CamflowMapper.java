package io.ursprung.consumer.camflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.db.camflow.CamflowStore;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.Rows;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps CamFlow vertices and relations to the rows of the provenance graph (docs/camflow.md).
 *
 * <p>Every relation is read as a flow of information from one vertex to another (used: entity to
 * activity; wasGeneratedBy: activity to entity; wasInformedBy: informant to informed;
 * wasDerivedFrom: used entity to generated entity), and the pair of vertex kinds decides the row:
 * file to process is {@code used}, process to file a new file version (wasGeneratedBy), process to
 * process {@code was_informed_by}, file to file {@code was_derived_from}, path to file a name, argv
 * to process the command line. CamFlow versions every kernel object; the versions of one task are
 * one Ursprung process, and the versions of one inode one Ursprung file, whose Ursprung versions
 * are made by writes as for audit data. Edges are keyed by the CamFlow relation id, so a relation
 * mapped twice writes nothing new.
 */
public final class CamflowMapper implements CamflowStore.Mapper {

  /** The {@code source} of file versions and reads written by this source. */
  public static final String SOURCE = "camflow";

  private static final Set<String> PROCESS_TYPES = Set.of("task", "process_memory");
  private static final Set<String> FILE_TYPES =
      Set.of(
          "file",
          "inode_file",
          "directory",
          "inode_directory",
          "link",
          "inode_link",
          "char",
          "inode_char",
          "block",
          "inode_block",
          "fifo",
          "inode_fifo",
          "pipe",
          "inode_pipe",
          "socket",
          "inode_socket",
          "mmaped_file",
          "inode_unknown");
  private static final Set<String> PATH_TYPES = Set.of("path", "file_name");
  private static final Set<String> ARGV_TYPES = Set.of("argv");

  /** cf:date as camflowd writes it: {@code 2017:02:24T10:51:27}, UTC. */
  private static final DateTimeFormatter CF_DATE =
      DateTimeFormatter.ofPattern("yyyy:MM:dd'T'HH:mm:ss[.SSSSSSSSS][.SSSSSS][.SSS]");

  private final Instant fallbackTime;

  /**
   * @param fallbackTime the time of elements without a readable {@code cf:date} (the receive time)
   */
  public CamflowMapper(Instant fallbackTime) {
    this.fallbackTime = fallbackTime;
  }

  @Override
  public boolean maps(String section) {
    return PacketDecoder.ENDS.containsKey(section);
  }

  /** What a vertex is to the graph. */
  enum Kind {
    PROCESS,
    FILE,
    PATH,
    ARGV,
    OTHER
  }

  static Kind kind(CamflowStore.Vertex v) {
    String t = type(v.attributes());
    if (t == null) {
      return Kind.OTHER;
    }
    if (PROCESS_TYPES.contains(t)) {
      return Kind.PROCESS;
    }
    if (FILE_TYPES.contains(t)) {
      return Kind.FILE;
    }
    if (PATH_TYPES.contains(t)) {
      return Kind.PATH;
    }
    if (ARGV_TYPES.contains(t)) {
      return Kind.ARGV;
    }
    return Kind.OTHER;
  }

  @Override
  public void map(
      String host,
      List<CamflowStore.Vertex> vertices,
      List<CamflowStore.Relation> relations,
      Map<String, CamflowStore.Vertex> known,
      CamflowStore.Context context,
      GraphBatch batch)
      throws SQLException {
    Run run = new Run(host, known, context, batch);
    for (CamflowStore.Vertex v : vertices) {
      switch (kind(v)) {
        case PROCESS -> run.process(v, true);
        case FILE -> run.file(v);
        default -> {}
      }
    }
    // Names first, so versions and reads of the same packet carry the path.
    List<CamflowStore.Relation> rest = new ArrayList<>();
    for (CamflowStore.Relation r : relations) {
      if (r.refs().size() != 2) {
        continue;
      }
      CamflowStore.Vertex from = known.get(r.refs().get(0));
      CamflowStore.Vertex to = known.get(r.refs().get(1));
      if (from == null || to == null) {
        continue;
      }
      Kind fk = kind(from);
      Kind tk = kind(to);
      if ((fk == Kind.PATH && tk == Kind.FILE) || (fk == Kind.FILE && tk == Kind.PATH)) {
        run.name(r, fk == Kind.PATH ? from : to, fk == Kind.FILE ? from : to);
      } else {
        rest.add(r);
      }
    }
    for (CamflowStore.Relation r : rest) {
      run.relation(r, known.get(r.refs().get(0)), known.get(r.refs().get(1)));
    }
    run.argv();
  }

  /** The state of mapping one packet. */
  private final class Run {
    final String host;
    final Map<String, CamflowStore.Vertex> known;
    final CamflowStore.Context context;
    final GraphBatch batch;
    final Map<Rows.FileKey, String> paths = new HashMap<>();
    final Map<CamflowStore.ProcessId, Map<Long, String>> argv = new LinkedHashMap<>();
    final Map<CamflowStore.ProcessId, Instant> argvTime = new HashMap<>();

    Run(
        String host,
        Map<String, CamflowStore.Vertex> known,
        CamflowStore.Context context,
        GraphBatch batch) {
      this.host = host;
      this.known = known;
      this.context = context;
      this.batch = batch;
    }

    CamflowStore.ProcessId process(CamflowStore.Vertex v, boolean facts) throws SQLException {
      ObjectNode a = v.attributes();
      Long pid = num(a, "cf:pid");
      if (pid == null) {
        pid = num(a, "cf:vpid");
      }
      String object = str(a.get("cf:id"));
      CamflowStore.ProcessId p =
          context.process(
              orEmpty(str(a.get("cf:boot_id"))),
              object != null ? object : v.id(),
              pid == null ? 0 : (int) (long) pid,
              time(a));
      if (facts) {
        Long uid = num(a, "cf:uid");
        Long gid = num(a, "cf:gid");
        var row = batch.process(host, p.pid(), p.start());
        if (uid != null || gid != null) {
          row.program(
              time(a),
              null,
              null,
              null,
              uid == null ? null : (int) (long) uid,
              gid == null ? null : (int) (long) gid,
              null,
              null,
              null,
              null,
              null,
              null);
        }
      }
      return p;
    }

    Rows.FileKey file(CamflowStore.Vertex v) {
      ObjectNode a = v.attributes();
      Rows.FileKey key = fileKey(v);
      batch.file(key, type(a), time(a));
      String path = str(a.get("cf:pathname"));
      if (path != null) {
        paths.put(key, path);
      }
      return key;
    }

    Rows.FileKey fileKey(CamflowStore.Vertex v) {
      ObjectNode a = v.attributes();
      String uuid = str(a.get("cf:uuid"));
      String fs = uuid != null && !uuid.isEmpty() ? "camflow:" + uuid : "camflow";
      Long ino = num(a, "cf:ino");
      if (ino == null) {
        // Objects without an inode (pipes of some kernels): the CamFlow object id within its boot.
        ino =
            Rows.pathInode(orEmpty(str(a.get("cf:boot_id"))) + ":" + orEmpty(str(a.get("cf:id"))));
      }
      return new Rows.FileKey(host, fs, ino);
    }

    String path(Rows.FileKey key, CamflowStore.Vertex v) throws SQLException {
      String p = paths.get(key);
      if (p == null) {
        p = str(v.attributes().get("cf:pathname"));
      }
      if (p == null) {
        Optional<String> stored = context.path(key);
        p = stored.orElse(null);
      }
      if (p != null) {
        paths.put(key, p);
      }
      return p;
    }

    void name(CamflowStore.Relation r, CamflowStore.Vertex path, CamflowStore.Vertex file) {
      String name = str(path.attributes().get("cf:pathname"));
      if (name == null) {
        return;
      }
      Rows.FileKey key = file(file);
      paths.put(key, name);
      batch.name(
          new Rows.FileName(
              "cf:" + r.id(), name, "open", key, time(r.attributes()), null, null, null));
    }

    void relation(CamflowStore.Relation r, CamflowStore.Vertex from, CamflowStore.Vertex to)
        throws SQLException {
      Kind fk = kind(from);
      Kind tk = kind(to);
      ObjectNode a = r.attributes();
      String type = orEmpty(type(a));
      Instant t = time(a);
      String id = "cf:" + r.id();
      if (fk == Kind.FILE && tk == Kind.PROCESS) {
        Rows.FileKey key = file(from);
        CamflowStore.ProcessId p = process(to, false);
        boolean exec = type.contains("exec");
        String path = path(key, from);
        batch.process(host, p.pid(), p.start());
        batch.used(
            new Rows.Used(
                host, id, exec ? "exec" : "read", p.pid(), p.start(), t, key, path, SOURCE));
        if (exec && path != null) {
          batch
              .process(host, p.pid(), p.start())
              .program(t, path, null, null, null, null, null, null, null, null, null, null);
        }
      } else if (fk == Kind.PROCESS && tk == Kind.FILE) {
        CamflowStore.ProcessId p = process(from, false);
        Rows.FileKey key = file(to);
        batch.process(host, p.pid(), p.start());
        batch.version(
            new Rows.Version(
                id,
                key,
                t,
                type.contains("create") ? "create" : type.contains("trunc") ? "truncate" : "write",
                path(key, to),
                num(to.attributes(), "cf:size"),
                host,
                p.pid(),
                p.start(),
                SOURCE));
      } else if (fk == Kind.PROCESS && tk == Kind.PROCESS) {
        CamflowStore.ProcessId informant = process(from, false);
        CamflowStore.ProcessId informed = process(to, false);
        if (informant.equals(informed)) {
          return; // a new version of the same task, or a task and its own memory
        }
        boolean fork = type.contains("clone") || type.contains("fork");
        batch.process(host, informant.pid(), informant.start());
        var child = batch.process(host, informed.pid(), informed.start());
        if (fork) {
          child.started("fork", informant.pid(), informant.start(), informant.pid());
        }
        batch.informed(
            new Rows.Informed(
                host,
                id,
                fork ? "fork" : type.isEmpty() ? "ipc" : type,
                informed.pid(),
                informed.start(),
                informant.pid(),
                informant.start(),
                t,
                null));
      } else if (fk == Kind.FILE && tk == Kind.FILE) {
        Rows.FileKey src = file(from);
        Rows.FileKey dst = file(to);
        if (src.equals(dst)) {
          return; // a new version of the same inode: Ursprung versions come from writes
        }
        batch.derived(
            new Rows.Derived(
                id,
                type.isEmpty() ? "derived" : type,
                dst,
                path(dst, to),
                src,
                path(src, from),
                t,
                null,
                null,
                null));
      } else if (fk == Kind.ARGV && tk == Kind.PROCESS) {
        CamflowStore.ProcessId p = process(to, false);
        String value = str(from.attributes().get("cf:value"));
        if (value != null) {
          Long offset = num(a, "cf:offset");
          Map<Long, String> args = argv.computeIfAbsent(p, k -> new java.util.TreeMap<>());
          args.put(offset != null ? offset : (long) args.size(), value);
          argvTime.merge(p, t, (x, y) -> x.isAfter(y) ? x : y);
        }
      }
    }

    void argv() {
      argv.forEach(
          (p, args) ->
              batch
                  .process(host, p.pid(), p.start())
                  .program(
                      argvTime.get(p),
                      null,
                      new ArrayList<>(args.values()),
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null));
    }
  }

  /** The element's time: {@code cf:date}, else the receive time. */
  Instant time(ObjectNode a) {
    Instant t = parseDate(str(a.get("cf:date")));
    return t != null ? t : fallbackTime;
  }

  /** Parses {@code cf:date}: camflowd's {@code yyyy:MM:ddTHH:mm:ss} (UTC) or ISO-8601. */
  static Instant parseDate(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      // not ISO with an offset; try the others
    }
    try {
      return LocalDateTime.parse(s, CF_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // next
    }
    try {
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String type(ObjectNode a) {
    String t = str(a.get("prov:type"));
    if (t == null) {
      return null;
    }
    // Some CamFlow versions qualify types (cf:file); the graph wants the bare name.
    int colon = t.indexOf(':');
    return colon >= 0 ? t.substring(colon + 1) : t;
  }

  static String str(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isObject()) {
      return v.has("$") ? v.get("$").asText() : null;
    }
    if (v.isArray()) {
      return v.isEmpty() ? null : str(v.get(0));
    }
    return v.asText();
  }

  static Long num(ObjectNode a, String key) {
    String s = str(a.get(key));
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
