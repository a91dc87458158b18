package io.ursprung.consumer;

import io.ursprung.consumer.rules.RuleHook;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.graph.ProcessRow;
import io.ursprung.db.graph.Rows;
import io.ursprung.db.graph.Rows.FileKey;
import io.ursprung.events.Credentials;
import io.ursprung.events.EventCodec;
import io.ursprung.events.EventData;
import io.ursprung.events.FileAccess;
import io.ursprung.events.HostStatus;
import io.ursprung.events.Ipc;
import io.ursprung.events.JobLifecycle;
import io.ursprung.events.MalformedEventException;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessGroupChanged;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.SocketActivity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Maps the auditd plugin's provenance events (docs/events.md) to graph rows; docs/store.md has the
 * table of which event makes which rows. Stateless between batches: everything it needs is in the
 * event, which is what makes replays and crashes harmless.
 */
public final class AuditdMapper implements SourceHandler {
  static final String SOURCE = "auditd";
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final EventCodec codec;
  private final GraphStore store;
  private GraphBatch batch = new GraphBatch();
  private final RuleHook rules;

  public AuditdMapper(EventCodec codec, GraphStore store) {
    this(codec, store, RuleHook.NONE);
  }

  /** With rules: every event is offered to {@code rules}, whose work joins the batch. */
  public AuditdMapper(EventCodec codec, GraphStore store, RuleHook rules) {
    this.codec = codec;
    this.store = store;
    this.rules = rules;
  }

  @Override
  public void add(byte[] key, byte[] value, String topic, int partition, long offset)
      throws MalformedEventException {
    ProvEvent e = codec.fromBytes(value);
    StoredJson.check(value);
    // The bytes as received are what the archive keeps: no String is made of them.
    map(e, value, topic, partition, offset, batch);
    rules.event(e);
  }

  @Override
  public void prepare() {
    try {
      store.prepareBatch(batch);
    } catch (SQLException e) {
      // Nothing is sent while preparing; write() makes the rows itself then.
    }
  }

  @Override
  public void write() throws SQLException {
    if (!rules.hasWork()) {
      store.write(batch);
      return;
    }
    // The work of matching rules commits with the events that caused it (docs/rules.md).
    store.inTransaction(
        batch.lockHosts(),
        tx -> {
          tx.write(batch);
          rules.write(tx.connection());
          return null;
        });
    rules.committed();
  }

  @Override
  public void reset() {
    batch = new GraphBatch();
    rules.reset();
  }

  @Override
  public int events() {
    return batch.events();
  }

  /** The pending batch (tests). */
  GraphBatch batch() {
    return batch;
  }

  /** Adds the rows of one event to {@code b}; {@code json} is the event as text. */
  public static void map(
      ProvEvent e, String json, String topic, Integer partition, Long offset, GraphBatch b) {
    map(e, json.getBytes(StandardCharsets.UTF_8), topic, partition, offset, b);
  }

  /** Adds the rows of one event to {@code b}; {@code json} is the event as received (UTF-8). */
  public static void map(
      ProvEvent e, byte[] json, String topic, Integer partition, Long offset, GraphBatch b) {
    String host = e.host();
    Instant t = e.time();
    b.countEvent();
    b.seen(host, "host", t);
    if (e.data() instanceof HostStatus s) {
      // Status, not provenance: only the latest per host is kept, and it is not archived (a
      // report every 30 s per host would outgrow the graph's own events in the archive).
      b.hostStatus(
          new Rows.HostStatusRow(host, t, e.producer().name() + "/" + e.producer().version(), s));
      return;
    }
    b.archive(
        new Rows.Archive(
            host,
            e.id(),
            e.type().wireName(),
            t,
            e.producer().name() + "/" + e.producer().version(),
            json,
            topic,
            partition,
            offset));
    EventData d = e.data();
    if (d instanceof ProcessStarted s) {
      started(e, s, b);
    } else if (d instanceof ProcessExec x) {
      exec(e, x, b);
    } else if (d instanceof ProcessExited x) {
      process(b, host, x.process()).exited(t, x.exitCode(), x.signal(), x.how());
    } else if (d instanceof ProcessGroupChanged g) {
      process(b, host, g.process()).group(t, g.pgid(), g.sid());
    } else if (d instanceof FileAccess f) {
      file(e, f, b);
    } else if (d instanceof Ipc i) {
      process(b, host, i.writer());
      process(b, host, i.reader());
      b.informed(
          new Rows.Informed(
              host,
              e.id(),
              i.kind(),
              i.reader().pid(),
              i.reader().start(),
              i.writer().pid(),
              i.writer().start(),
              t,
              i.channel()));
    } else if (d instanceof SocketActivity s) {
      process(b, host, s.process());
      b.socket(
          new Rows.Socket(
              host,
              e.id(),
              s.process().pid(),
              s.process().start(),
              t,
              s.op(),
              s.family(),
              s.address(),
              s.port(),
              s.path(),
              s.fd(),
              s.result()));
    } else if (d instanceof JobLifecycle j) {
      b.job(new Rows.JobEvent(host, e.id(), j.jobId(), j.stage(), j.user(), attributesJson(j), t));
    }
    // RawSyscall: kept in the archive only, as the evidence behind the derived events.
  }

  private static ProcessRow process(GraphBatch b, String host, ProcessRef p) {
    return b.process(host, p.pid(), p.start());
  }

  private static void started(ProvEvent e, ProcessStarted s, GraphBatch b) {
    ProcessRef p = s.process();
    ProcessRow row = process(b, e.host(), p);
    ProcessRef parent = s.parent();
    row.started(
        s.how(),
        parent == null ? s.ppid() : parent.pid(),
        parent == null ? null : parent.start(),
        s.ppid());
    Credentials c = s.credentials();
    if (c != null || s.cwd() != null || s.exe() != null || s.argv() != null) {
      // Inherited from the parent at fork: as of the start, so any later exec wins.
      program(row, p.start(), s.exe(), s.argv(), s.cwd(), c);
    }
    if (s.pgid() != null || s.sid() != null) {
      row.group(p.start(), s.pgid(), s.sid());
    }
    if (parent != null) {
      b.informed(
          new Rows.Informed(
              e.host(),
              e.id(),
              "fork",
              p.pid(),
              p.start(),
              parent.pid(),
              parent.start(),
              p.start(),
              null));
    }
  }

  private static void exec(ProvEvent e, ProcessExec x, GraphBatch b) {
    ProcessRef p = x.process();
    ProcessRow row = process(b, e.host(), p);
    Credentials c = x.credentials();
    program(row, e.time(), x.exe(), x.argv(), x.cwd(), c);
    FileKey exe =
        x.exe() == null ? null : FileKey.of(e.host(), x.exeDevice(), x.exeInode(), x.exe());
    b.exec(
        new Rows.Exec(
            e.host(),
            e.id(),
            p.pid(),
            p.start(),
            e.time(),
            x.exe(),
            exe == null ? null : exe.fs(),
            exe == null ? null : exe.inode(),
            x.argv(),
            x.cwd(),
            c == null ? null : c.uid(),
            c == null ? null : c.user()));
    if (exe != null) {
      // The program is an input of everything the process writes afterwards.
      b.file(exe, "file", e.time());
      b.name(
          new Rows.FileName(e.id(), x.exe(), "exec", exe, e.time(), e.host(), p.pid(), p.start()));
      b.used(
          new Rows.Used(
              e.host(), e.id(), "exec", p.pid(), p.start(), e.time(), exe, x.exe(), SOURCE));
    }
  }

  private static void program(
      ProcessRow row,
      Instant time,
      String exe,
      java.util.List<String> argv,
      String cwd,
      Credentials c) {
    row.program(
        time,
        exe,
        argv,
        cwd,
        c == null ? null : c.uid(),
        c == null ? null : c.gid(),
        c == null ? null : c.euid(),
        c == null ? null : c.egid(),
        c == null || c.auid() == null ? null : Long.valueOf(c.auid()),
        c == null ? null : c.user(),
        c == null ? null : c.group(),
        c == null ? null : c.loginUser());
  }

  private static void file(ProvEvent e, FileAccess f, GraphBatch b) {
    String host = e.host();
    Instant t = e.time();
    ProcessRef p = f.process();
    process(b, host, p);
    FileKey key = FileKey.of(host, f.device(), f.inode(), f.path());
    String type = f.objectType();
    String id = e.id();
    switch (f.op()) {
      case OPEN -> {
        b.file(key, type, t);
        boolean created = Boolean.TRUE.equals(f.create());
        b.name(
            new Rows.FileName(
                id, f.path(), created ? "create" : "open", key, t, host, p.pid(), p.start()));
        if (Boolean.TRUE.equals(f.read()) && !"dir".equals(type)) {
          b.used(new Rows.Used(host, id, "read", p.pid(), p.start(), t, key, f.path(), SOURCE));
        }
        if (created || Boolean.TRUE.equals(f.truncate())) {
          version(b, id, key, t, created ? "create" : "truncate", f.path(), host, p);
        }
      }
      case CLOSE -> {
        if (Boolean.TRUE.equals(f.write())) {
          b.file(key, type, t);
          version(b, id, key, t, "write", f.path(), host, p);
        }
      }
      case TRUNCATE -> {
        b.file(key, type, t);
        version(b, id, key, t, "truncate", f.path(), host, p);
      }
      case RENAME -> {
        // A rename keeps the inode: the same file gets a new name and, at the new name, a version.
        FileKey target =
            key.fs().equals(Rows.PATH_FS) ? FileKey.of(host, null, null, target(f)) : key;
        b.file(key, type, t);
        b.file(target, type, t);
        b.name(new Rows.FileName(id, f.path(), "rename-from", key, t, host, p.pid(), p.start()));
        b.name(new Rows.FileName(id, target(f), "rename-to", target, t, host, p.pid(), p.start()));
        version(b, id, target, t, "rename", target(f), host, p);
        b.derived(
            new Rows.Derived(
                id, "rename", target, target(f), key, f.path(), t, host, p.pid(), p.start()));
      }
      case LINK -> {
        FileKey target =
            key.fs().equals(Rows.PATH_FS) ? FileKey.of(host, null, null, target(f)) : key;
        b.file(key, type, t);
        b.file(target, type, t);
        b.name(new Rows.FileName(id, target(f), "link", target, t, host, p.pid(), p.start()));
        b.derived(
            new Rows.Derived(
                id, "link", target, target(f), key, f.path(), t, host, p.pid(), p.start()));
      }
      case SYMLINK -> {
        // path is the link's text; the link itself is targetPath (an inode of its own).
        FileKey link = FileKey.of(host, f.device(), f.targetInode(), target(f));
        String pointsTo = resolveAgainst(target(f), f.path());
        b.file(link, "symlink", t);
        b.name(new Rows.FileName(id, target(f), "symlink", link, t, host, p.pid(), p.start()));
        b.derived(
            new Rows.Derived(
                id, "symlink", link, target(f), null, pointsTo, t, host, p.pid(), p.start()));
      }
      case UNLINK -> {
        b.file(key, type, t);
        b.name(new Rows.FileName(id, f.path(), "unlink", key, t, host, p.pid(), p.start()));
      }
      case MKDIR, RMDIR -> {
        b.file(key, "dir", t);
        b.name(
            new Rows.FileName(id, f.path(), f.op().wireName(), key, t, host, p.pid(), p.start()));
      }
    }
  }

  private static void version(
      GraphBatch b,
      String id,
      FileKey key,
      Instant t,
      String cause,
      String path,
      String host,
      ProcessRef p) {
    b.version(new Rows.Version(id, key, t, cause, path, null, host, p.pid(), p.start(), SOURCE));
  }

  private static String target(FileAccess f) {
    return f.targetPath() != null ? f.targetPath() : f.path();
  }

  /** A symlink's text resolved against the directory of the link, normalised. */
  static String resolveAgainst(String linkPath, String text) {
    if (text.startsWith("/")) {
      return Path.of(text).normalize().toString();
    }
    Path dir = Path.of(linkPath).getParent();
    return (dir == null ? Path.of(text) : dir.resolve(text)).normalize().toString();
  }

  private static String attributesJson(JobLifecycle j) {
    try {
      return JSON.writeValueAsString(j.attributes());
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException("string map not serialisable", ex);
    }
  }
}
