package io.ursprung.db.lineage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationSlotInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link MemoryGraph} equal to the store: loads it from a snapshot, then follows the
 * publication {@value #PUBLICATION} (V83) through a temporary logical replication slot created with
 * that snapshot, so that no change falls between the load and the stream. Each transaction's
 * changes are applied at once, at its commit.
 *
 * <p>A walk uses the graph only when it is caught up with everything committed before the walk
 * began: {@link #current} reads the server's WAL flush position and waits (at most {@code wait})
 * until the stream has passed it, asking the server for a progress report when nothing else comes.
 * Otherwise, and whenever the cache is loading, broken or off, the walk runs in SQL, which gives
 * the same answer more slowly. Anything the graph cannot apply exactly (a truncate, a deleted edge,
 * an update of a row it cannot find) makes it load everything again.
 *
 * <p>Needs {@code wal_level = logical}, a user with the REPLICATION attribute and the publication;
 * without them it stays off and says why once.
 */
public final class GraphCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GraphCache.class);

  public static final String PUBLICATION = "ursprung_lineage";

  /** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for binary timestamps. */
  private static final long PG_EPOCH_US = 946_684_800_000_000L;

  private static final int OID_INT2 = 21;
  private static final int OID_INT4 = 23;
  private static final int OID_INT8 = 20;
  private static final int OID_TEXT = 25;
  private static final int OID_VARCHAR = 1043;
  private static final int OID_TIMESTAMPTZ = 1184;
  private static final int OID_TEXT_ARRAY = 1009;

  /** Why the cache is off: a setting of the server or the user, not a failure to retry soon. */
  static final class Off extends Exception {
    Off(String why) {
      super(why);
    }
  }

  private final String url;
  private final String user;
  private final String password;
  private final long waitNanos;
  private final Object progress = new Object();
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicLong fromMemory = new AtomicLong();
  private final AtomicLong fromSql = new AtomicLong();
  private final AtomicLong loads = new AtomicLong();
  private volatile MemoryGraph graph;
  private volatile long caughtUp;
  private volatile boolean closed;
  private volatile String state = "starting";
  private Thread runner;

  public GraphCache(String url, String user, String password, Duration wait) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.waitNanos = wait.toNanos();
  }

  /** Starts loading and following in a background thread; walks use SQL until it is ready. */
  public synchronized GraphCache start() {
    if (runner == null) {
      runner = new Thread(this::run, "lineage-cache");
      runner.setDaemon(true);
      runner.start();
    }
    return this;
  }

  /** One line on what the cache is doing: starting, loading, ready, off (why) or retrying (why). */
  public String state() {
    return state;
  }

  /** Whether walks can hop over the graph now (loaded and following). */
  public boolean ready() {
    return graph != null;
  }

  /** Walks answered from memory. */
  public long walksFromMemory() {
    return fromMemory.get();
  }

  /** Walks answered in SQL because the cache was not ready or not caught up in time. */
  public long walksFromSql() {
    return fromSql.get();
  }

  /** How many times the graph was loaded. */
  public long loads() {
    return loads.get();
  }

  /**
   * The graph, caught up with everything committed before this call, or null (walk in SQL then).
   * {@code c} is a pooled connection in auto-commit mode; one statement is run on it.
   */
  MemoryGraph current(Connection c) {
    if (graph == null) {
      fromSql.incrementAndGet();
      return null;
    }
    long target;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_current_wal_flush_lsn()::text")) {
      rs.next();
      target = LogSequenceNumber.valueOf(rs.getString(1)).asLong();
    } catch (SQLException e) {
      // A server in recovery (a standby) has no flush position to wait for: walk in SQL.
      LOG.debug("lineage walk runs in SQL: {}", e.toString());
      fromSql.incrementAndGet();
      return null;
    }
    MemoryGraph g = await(target) ? graph : null;
    (g == null ? fromSql : fromMemory).incrementAndGet();
    return g;
  }

  private boolean await(long target) {
    if (caughtUp >= target) {
      return true;
    }
    waiting.incrementAndGet();
    try {
      Thread r = runner;
      if (r != null) {
        LockSupport.unpark(r);
      }
      long deadline = System.nanoTime() + waitNanos;
      synchronized (progress) {
        while (caughtUp < target && graph != null) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          progress.wait(left / 1_000_000, (int) (left % 1_000_000));
        }
      }
      return caughtUp >= target;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      waiting.decrementAndGet();
    }
  }

  private void advance(long lsn) {
    if (lsn > caughtUp) {
      synchronized (progress) {
        if (lsn > caughtUp) {
          caughtUp = lsn;
          progress.notifyAll();
        }
      }
    }
  }

  private void run() {
    long backoff = 1_000;
    String said = null;
    while (!closed) {
      long pause;
      try {
        follow();
        pause = 0;
      } catch (MemoryGraph.Reload e) {
        state = "loading again: " + e.getMessage();
        LOG.info("lineage cache loads the graph again: {}", e.getMessage());
        pause = 0;
      } catch (Off e) {
        state = "off: " + e.getMessage();
        if (!e.getMessage().equals(said)) {
          LOG.info("lineage cache off, walks run in SQL: {}", e.getMessage());
          said = e.getMessage();
        }
        pause = 60_000;
      } catch (OutOfMemoryError e) {
        // The graph does not fit: drop what was loaded and stay off rather than load again and
        // again; the backend goes on answering in SQL.
        drop();
        state = "off: the graph does not fit in the heap; raise -Xmx or set lineage.cache=false";
        LOG.error("lineage cache off, walks run in SQL: the graph does not fit in the heap");
        return;
      } catch (Exception e) {
        state = "retrying: " + e.getMessage();
        if (!closed) {
          LOG.warn(
              "lineage cache stopped, walks run in SQL until it has loaded again (in {} s): {}",
              backoff / 1000,
              e.toString());
        }
        pause = backoff;
        backoff = Math.min(backoff * 2, 60_000);
      } finally {
        drop();
      }
      long until = System.currentTimeMillis() + pause;
      while (!closed && System.currentTimeMillis() < until) {
        LockSupport.parkNanos(50_000_000);
      }
    }
    state = "closed";
  }

  private void drop() {
    synchronized (progress) {
      graph = null;
      progress.notifyAll();
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    PGProperty.USER.set(p, user);
    if (password != null && !password.isEmpty()) {
      PGProperty.PASSWORD.set(p, password);
    }
    PGProperty.APPLICATION_NAME.set(p, "ursprung-lineage-cache");
    return p;
  }

  private Connection plain() throws SQLException {
    return DriverManager.getConnection(url, properties());
  }

  private void check() throws SQLException, Off {
    try (Connection c = plain();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
        rs.next();
        if (!"logical".equals(rs.getString(1))) {
          throw new Off(
              "the server's wal_level is "
                  + rs.getString(1)
                  + "; set wal_level = logical and restart PostgreSQL to answer walks from memory");
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = '"
                  + PUBLICATION
                  + "'), (SELECT rolreplication OR rolsuper FROM pg_roles"
                  + " WHERE rolname = current_user)")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw new Off("the publication " + PUBLICATION + " is missing (migration V83)");
        }
        if (!rs.getBoolean(2)) {
          throw new Off("the database user " + user + " needs the REPLICATION attribute");
        }
      }
    }
  }

  private void follow() throws SQLException, Off {
    check();
    state = "loading";
    Properties p = properties();
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
    PGProperty.REPLICATION.set(p, "database");
    PGProperty.PREFER_QUERY_MODE.set(p, "simple");
    try (Connection rc = DriverManager.getConnection(url, p)) {
      PGConnection pg = rc.unwrap(PGConnection.class);
      String slot = "ursprung_lineage_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
      // Temporary: the server drops it when this connection ends, so that a backend that dies
      // never leaves a slot holding WAL back.
      ReplicationSlotInfo info =
          pg.getReplicationAPI()
              .createReplicationSlot()
              .logical()
              .withSlotName(slot)
              .withOutputPlugin("pgoutput")
              .withTemporaryOption()
              .make();
      long t = System.nanoTime();
      MemoryGraph g = load(info.getSnapshotName());
      loads.incrementAndGet();
      try (PGReplicationStream stream =
          pg.getReplicationAPI()
              .replicationStream()
              .logical()
              .withSlotName(slot)
              .withStartPosition(info.getConsistentPoint())
              .withSlotOption("proto_version", "1")
              .withSlotOption("publication_names", PUBLICATION)
              .withSlotOption("binary", "true")
              .withStatusInterval(10, java.util.concurrent.TimeUnit.SECONDS)
              .start()) {
        synchronized (progress) {
          caughtUp = info.getConsistentPoint().asLong();
          graph = g;
          progress.notifyAll();
        }
        state = "ready";
        LOG.info(
            "lineage cache loaded {} processes in {} ms; following {}",
            g.processes(),
            (System.nanoTime() - t) / 1_000_000,
            PUBLICATION);
        stream(stream, g);
      }
    }
  }

  private MemoryGraph load(String snapshot) throws SQLException {
    if (snapshot == null || !snapshot.matches("[0-9A-Fa-f-]+")) {
      throw new SQLException("unexpected snapshot id " + snapshot);
    }
    MemoryGraph g = new MemoryGraph();
    try (Connection c = plain()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        s.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
      }
      scan(
          c,
          "SELECT host, pid, lineage_key_us(start_time), uid, gid, user_name, cwd, exe, argv,"
              + " lineage_key_us(end_time), exit_code FROM processes",
          rs ->
              g.process(
                  rs.getString(1),
                  rs.getInt(2),
                  rs.getLong(3),
                  (Integer) rs.getObject(4),
                  (Integer) rs.getObject(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8),
                  cmdline(rs.getArray(9)),
                  (Long) rs.getObject(10),
                  (Integer) rs.getObject(11)));
      scan(
          c,
          "SELECT host, event_id, fs, inode, lineage_key_us(version_time), cause, path, size,"
              + " proc_host, pid, lineage_key_us(start_time) FROM file_versions",
          rs ->
              g.version(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  rs.getString(6),
                  rs.getString(7),
                  (Long) rs.getObject(8),
                  rs.getString(9),
                  (Integer) rs.getObject(10),
                  (Long) rs.getObject(11)));
      scan(
          c,
          "SELECT host, event_id, kind, pid, lineage_key_us(start_time), lineage_key_us(time),"
              + " file_host, fs, inode FROM used",
          rs ->
              g.use(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  (Integer) rs.getObject(4),
                  (Long) rs.getObject(5),
                  rs.getLong(6),
                  rs.getString(7),
                  rs.getString(8),
                  rs.getLong(9)));
      scan(
          c,
          "SELECT host, kind, pid, lineage_key_us(start_time), informant_pid,"
              + " lineage_key_us(informant_start), lineage_key_us(time) FROM was_informed_by",
          rs ->
              g.informed(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getInt(3),
                  rs.getLong(4),
                  rs.getInt(5),
                  rs.getLong(6),
                  rs.getLong(7)));
      c.rollback();
    }
    g.loaded();
    return g;
  }

  /** argv as array_to_string(argv, ' ') gives it, elements in storage order. */
  private static String cmdline(java.sql.Array a) throws SQLException {
    if (a == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    flatten(a.getArray(), out);
    return MemoryGraph.joined(out.toArray(String[]::new));
  }

  private static void flatten(Object o, List<String> out) {
    if (o instanceof Object[] items) {
      for (Object item : items) {
        if (item instanceof Object[]) {
          flatten(item, out);
        } else {
          out.add((String) item);
        }
      }
    }
  }

  @FunctionalInterface
  private interface RowSink {
    void row(ResultSet rs) throws SQLException;
  }

  private void scan(Connection c, String sql, RowSink sink) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(20_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (closed) {
            throw new SQLException("closed while loading");
          }
          sink.row(rs);
        }
      }
    }
  }

  /** A table as the stream describes it: column names and type oids. */
  record Relation(String name, Map<String, Integer> columns, int[] types) {
    Object get(Object[] row, String column) {
      Integer i = columns.get(column);
      if (i == null) {
        throw new MemoryGraph.Reload(name + " has no published column " + column);
      }
      return row[i];
    }
  }

  /** A row change of one transaction, applied at its commit. */
  record Change(char op, Relation relation, Object[] row) {}

  private void stream(PGReplicationStream stream, MemoryGraph g) throws SQLException {
    Map<Integer, Relation> relations = new HashMap<>();
    List<Change> txn = null;
    long lastAsk = 0;
    while (!closed) {
      ByteBuffer b = stream.readPending();
      if (b == null) {
        if (txn == null) {
          // Between transactions the server's last report covers everything sent before it.
          advance(stream.getLastReceiveLSN().asLong());
        }
        if (waiting.get() > 0) {
          long now = System.nanoTime();
          if (now - lastAsk > 1_000_000) {
            stream.forceUpdateStatus();
            lastAsk = now;
          }
          LockSupport.parkNanos(100_000);
        } else {
          LockSupport.parkNanos(10_000_000);
        }
        continue;
      }
      char type = (char) b.get();
      switch (type) {
        case 'B' -> txn = new ArrayList<>();
        case 'C' -> {
          b.get();
          b.getLong();
          long end = b.getLong();
          if (txn != null && !txn.isEmpty()) {
            apply(g, txn);
          }
          txn = null;
          LogSequenceNumber lsn = LogSequenceNumber.valueOf(end);
          stream.setAppliedLSN(lsn);
          stream.setFlushedLSN(lsn);
          advance(end);
        }
        case 'R' -> {
          Described r = relation(b);
          relations.put(r.id(), r.relation());
        }
        case 'I', 'U', 'D' -> {
          Change ch = change(type, b, relations);
          if (txn == null) {
            apply(g, List.of(ch));
          } else {
            txn.add(ch);
          }
        }
        case 'T' -> throw new MemoryGraph.Reload("a table of the graph was truncated");
        default -> {
          // Type, origin and message records carry nothing the graph keeps.
        }
      }
    }
  }

  private static void apply(MemoryGraph g, List<Change> changes) {
    g.lock.writeLock().lock();
    try {
      for (Change c : changes) {
        apply(g, c);
      }
    } finally {
      g.lock.writeLock().unlock();
    }
  }

  static void apply(MemoryGraph g, Change c) {
    Relation r = c.relation();
    Object[] row = c.row();
    switch (r.name()) {
      case "processes" -> {
        String host = (String) r.get(row, "host");
        int pid = (Integer) r.get(row, "pid");
        long start = (Long) r.get(row, "start_time");
        if (c.op() == 'D') {
          g.processDeleted(host, pid, start);
        } else {
          // An update sends an unchanged TOASTed value (a long argv, say) as "unchanged": the
          // graph keeps what it has.
          MemoryGraph.Proc was = g.row(host, pid, start);
          Object argv = r.get(row, "argv");
          g.process(
              host,
              pid,
              start,
              (Integer) r.get(row, "uid"),
              (Integer) r.get(row, "gid"),
              (String) unchanged(r.get(row, "user_name"), was == null ? null : was.user),
              (String) unchanged(r.get(row, "cwd"), was == null ? null : was.cwd),
              (String) unchanged(r.get(row, "exe"), was == null ? null : was.exe),
              argv == UNCHANGED
                  ? (was == null ? null : was.cmdline)
                  : argv == null ? null : MemoryGraph.joined((String[]) argv),
              (Long) r.get(row, "end_time"),
              (Integer) r.get(row, "exit_code"));
        }
      }
      case "file_versions" -> {
        if (c.op() == 'D') {
          throw new MemoryGraph.Reload("a file version was deleted");
        }
        String host = (String) r.get(row, "host");
        String eventId = (String) r.get(row, "event_id");
        String fs = (String) r.get(row, "fs");
        long inode = (Long) r.get(row, "inode");
        MemoryGraph.Version was = c.op() == 'U' ? g.removeVersion(host, eventId, fs, inode) : null;
        g.version(
            host,
            eventId,
            fs,
            inode,
            (Long) r.get(row, "version_time"),
            (String) r.get(row, "cause"),
            (String) unchanged(r.get(row, "path"), was == null ? null : was.path),
            (Long) r.get(row, "size"),
            (String) r.get(row, "proc_host"),
            (Integer) r.get(row, "pid"),
            (Long) r.get(row, "start_time"));
      }
      case "used" -> {
        if (c.op() == 'D') {
          throw new MemoryGraph.Reload("a used row was deleted");
        }
        String host = (String) r.get(row, "host");
        String eventId = (String) r.get(row, "event_id");
        String kind = (String) r.get(row, "kind");
        String fileHost = (String) r.get(row, "file_host");
        String fs = (String) r.get(row, "fs");
        long inode = (Long) r.get(row, "inode");
        if (c.op() == 'U') {
          g.removeUse(host, eventId, kind, fileHost, fs, inode);
        }
        g.use(
            host,
            eventId,
            kind,
            (Integer) r.get(row, "pid"),
            (Long) r.get(row, "start_time"),
            (Long) r.get(row, "time"),
            fileHost,
            fs,
            inode);
      }
      case "was_informed_by" -> {
        if (c.op() != 'I') {
          throw new MemoryGraph.Reload("a was_informed_by row was updated or deleted");
        }
        g.informed(
            (String) r.get(row, "host"),
            (String) r.get(row, "kind"),
            (Integer) r.get(row, "pid"),
            (Long) r.get(row, "start_time"),
            (Integer) r.get(row, "informant_pid"),
            (Long) r.get(row, "informant_start"),
            (Long) r.get(row, "time"));
      }
      default -> throw new MemoryGraph.Reload("a change of an unexpected table " + r.name());
    }
  }

  record Described(int id, Relation relation) {}

  /** An update's value for an unchanged TOASTed column. */
  static final Object UNCHANGED = new Object();

  private static Object unchanged(Object value, Object was) {
    if (value == UNCHANGED && was == null) {
      throw new MemoryGraph.Reload("an unchanged value of a row the graph does not hold");
    }
    return value == UNCHANGED ? was : value;
  }

  /** A relation message: id, namespace, name, replica identity, columns. */
  static Described relation(ByteBuffer b) {
    int id = b.getInt();
    cstring(b);
    String name = cstring(b);
    b.get();
    int n = b.getShort();
    Map<String, Integer> columns = new HashMap<>();
    int[] types = new int[n];
    for (int i = 0; i < n; i++) {
      b.get();
      columns.put(cstring(b), i);
      types[i] = b.getInt();
      b.getInt();
    }
    return new Described(id, new Relation(name, columns, types));
  }

  /** An insert, update (its new row) or delete (its key) message. */
  static Change change(char type, ByteBuffer b, Map<Integer, Relation> relations) {
    Relation r = relations.get(b.getInt());
    if (r == null) {
      throw new MemoryGraph.Reload("a change of a table the stream has not described");
    }
    byte part = b.get();
    if (type == 'U' && (part == 'K' || part == 'O')) {
      tuple(b, r);
      part = b.get();
    }
    if ((type == 'D') != (part == 'K' || part == 'O') || (type != 'D' && part != 'N')) {
      throw new MemoryGraph.Reload("a malformed " + type + " message (part " + (char) part + ")");
    }
    return new Change(type, r, tuple(b, r));
  }

  static Object[] tuple(ByteBuffer b, Relation r) {
    int n = b.getShort();
    Object[] row = new Object[n];
    for (int i = 0; i < n; i++) {
      byte kind = b.get();
      switch (kind) {
        case 'n' -> row[i] = null;
        case 'b', 't' -> {
          byte[] bytes = new byte[b.getInt()];
          b.get(bytes);
          row[i] = kind == 'b' ? binary(r.types()[i], bytes) : text(r.types()[i], bytes);
        }
        case 'u' -> row[i] = UNCHANGED;
        default -> throw new MemoryGraph.Reload("a column value of kind " + (char) kind);
      }
    }
    return row;
  }

  static Object binary(int type, byte[] v) {
    ByteBuffer b = ByteBuffer.wrap(v);
    return switch (type) {
      case OID_TEXT, OID_VARCHAR -> new String(v, StandardCharsets.UTF_8);
      case OID_INT2 -> (int) b.getShort();
      case OID_INT4 -> b.getInt();
      case OID_INT8 -> b.getLong();
      case OID_TIMESTAMPTZ -> {
        long us = b.getLong();
        // The infinities are the extreme longs, as node keys have them (lineage_key_us).
        yield us == Long.MIN_VALUE || us == Long.MAX_VALUE ? us : us + PG_EPOCH_US;
      }
      case OID_TEXT_ARRAY -> textArray(b);
      default -> throw new MemoryGraph.Reload("a column of unexpected type oid " + type);
    };
  }

  /**
   * A text array in binary form: dimensions, a has-nulls flag, the element type, each dimension's
   * length and lower bound, then the elements (length -1 for NULL), in storage order.
   */
  static String[] textArray(ByteBuffer b) {
    int dims = b.getInt();
    b.getInt();
    b.getInt();
    int n = dims == 0 ? 0 : 1;
    for (int d = 0; d < dims; d++) {
      n *= b.getInt();
      b.getInt();
    }
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      int len = b.getInt();
      if (len >= 0) {
        byte[] v = new byte[len];
        b.get(v);
        out[i] = new String(v, StandardCharsets.UTF_8);
      }
    }
    return out;
  }

  static Object text(int type, byte[] v) {
    String s = new String(v, StandardCharsets.UTF_8);
    return switch (type) {
      case OID_TEXT, OID_VARCHAR -> s;
      case OID_INT2, OID_INT4 -> Integer.parseInt(s);
      case OID_INT8 -> Long.parseLong(s);
      default -> throw new MemoryGraph.Reload("a text value of type oid " + type);
    };
  }

  private static String cstring(ByteBuffer b) {
    int start = b.position();
    while (b.get() != 0) {
      // to the terminating zero
    }
    return new String(
        b.array(), b.arrayOffset() + start, b.position() - start - 1, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closed = true;
    Thread r;
    synchronized (this) {
      r = runner;
    }
    if (r != null) {
      LockSupport.unpark(r);
      try {
        r.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    drop();
  }
}
