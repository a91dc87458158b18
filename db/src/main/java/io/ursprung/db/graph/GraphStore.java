package io.ursprung.db.graph;

import io.ursprung.events.HostStatus;
import java.io.ByteArrayInputStream;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes {@link GraphBatch}es into the graph tables, each in one transaction.
 *
 * <p>Every table is filled the same way: the batch's rows are streamed with COPY into a temporary
 * staging table of the same shape, then moved with one {@code INSERT ... SELECT ... ON CONFLICT}
 * per table. COPY is the fastest way into PostgreSQL; the conflict clause makes a batch written
 * twice (a consumer killed after the commit but before its Kafka offsets were committed) change
 * nothing.
 *
 * <p>Spectrum Scale file events name a process only by host and pid. Their edges are attached to
 * the process incarnation whose lifetime contains the event time within {@code skew}, both when the
 * edge is written (the process is already stored) and whenever a process of that host and pid is
 * written (the process arrives later). Both steps run under a transaction-scoped advisory lock per
 * host, taken in sorted order, so a process and a file event written concurrently by two consumers
 * cannot miss each other.
 */
public final class GraphStore {

  private static final String[] TABLES = {
    "event_archive",
    "processes",
    "process_execs",
    "files",
    "file_names",
    "file_versions",
    "used",
    "was_informed_by",
    "was_derived_from",
    "sockets",
    "job_events",
    "hosts"
  };

  private static final String COLS_ARCHIVE =
      "host, id, type, event_time, producer, payload, source_topic, source_partition,"
          + " source_offset";
  private static final String COLS_PROCESSES =
      "host, pid, start_time, start_how, parent_pid, parent_start, ppid, pgid, sid, group_time,"
          + " uid, gid, euid, egid, auid, user_name, group_name, login_user, cwd, exe, argv,"
          + " facts_time, end_time, exit_code, signal, exit_how, job_id";
  private static final String COLS_EXECS =
      "host, event_id, pid, start_time, exec_time, exe, exe_fs, exe_inode, argv, cwd, uid,"
          + " user_name";
  private static final String COLS_FILES = "host, fs, inode, object_type, first_seen";
  private static final String COLS_NAMES =
      "host, event_id, path, op, fs, inode, time, proc_host, pid, start_time";
  private static final String COLS_VERSIONS =
      "host, event_id, fs, inode, version_time, cause, path, size, proc_host, pid, start_time,"
          + " source";
  private static final String COLS_USED =
      "host, event_id, kind, pid, start_time, time, file_host, fs, inode, path, source";
  private static final String COLS_INFORMED =
      "host, event_id, kind, pid, start_time, informant_pid, informant_start, time, channel";
  private static final String COLS_DERIVED =
      "host, event_id, kind, fs, inode, path, src_fs, src_inode, src_path, time, proc_host, pid,"
          + " start_time";
  private static final String COLS_SOCKETS =
      "host, event_id, pid, start_time, time, op, family, address, port, path, fd, result";
  private static final String COLS_JOBS =
      "host, event_id, job_id, stage, user_name, attributes, time";
  private static final String COLS_HOSTS = "host, kind, first_seen, last_seen";

  private static final String CREATE_STAGES;

  static {
    StringBuilder sb = new StringBuilder();
    for (String t : TABLES) {
      sb.append("CREATE TEMP TABLE IF NOT EXISTS stage_")
          .append(t)
          .append(" (LIKE ")
          .append(t)
          .append(" INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;");
    }
    // Opens and execs of file_names, which are merged (UPSERT_SIGHTINGS), not inserted.
    sb.append(
        "CREATE TEMP TABLE IF NOT EXISTS stage_file_sightings (LIKE file_names INCLUDING DEFAULTS)"
            + " ON COMMIT DELETE ROWS;");
    CREATE_STAGES = sb.toString();
  }

  /**
   * Keeps the earliest sighting of a name per file, op and UTC hour (GraphBatch.Sighting): the
   * conflict target is the partial unique index file_names_sighting (V84; on path_key(path) since
   * V86, so a path of any length fits), and a later or equal sighting changes nothing, so a batch
   * seen again is a no-op and the row kept does not depend on the order the batches come in.
   */
  private static final String UPSERT_SIGHTINGS =
      "INSERT INTO file_names AS n ("
          + COLS_NAMES
          + ") SELECT "
          + COLS_NAMES
          + " FROM stage_file_sightings"
          + " ON CONFLICT (host, fs, inode, path_key(path), op,"
          + " (date_trunc('hour', time AT TIME ZONE 'UTC'))) WHERE op IN ('open', 'exec')"
          + " DO UPDATE SET event_id = EXCLUDED.event_id, time = EXCLUDED.time,"
          + " proc_host = EXCLUDED.proc_host, pid = EXCLUDED.pid, start_time = EXCLUDED.start_time"
          + " WHERE EXCLUDED.time < n.time OR (EXCLUDED.time = n.time"
          + " AND EXCLUDED.event_id COLLATE \"C\" < n.event_id COLLATE \"C\");";

  /**
   * Sources whose graph rows are not in {@code event_archive}, by name, with what holds them:
   * CamFlow (its own packet store) and imported PROV-JSON documents. Emptying the graph tables
   * would lose their rows for good.
   */
  public static List<String> sourcesBesidesTheArchive(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM camflow_packets),"
                    + " EXISTS (SELECT 1 FROM prov_documents)")) {
      rs.next();
      if (rs.getBoolean(1)) {
        out.add("CamFlow (camflow_packets)");
      }
      if (rs.getBoolean(2)) {
        out.add("imported PROV-JSON documents (prov_documents)");
      }
    }
    return out;
  }

  /** Physical connections that already have the staging tables (temp tables live per session). */
  private final Map<Object, Boolean> staged = Collections.synchronizedMap(new WeakHashMap<>());

  /** The {@code source} of rows from Spectrum Scale, which may need a process attached in SQL. */
  private static final String SCALE = "scale";

  private final DataSource dataSource;
  private final long skewMillis;

  /**
   * Rebuilding from the archive: the batches' events are archived already, so their archive rows
   * are not written again and the direct way (which relies on the archive's key to detect stored
   * events) is never taken.
   */
  private final boolean fromArchive;

  private final AtomicLong directBatches = new AtomicLong();
  private final AtomicLong stagedBatches = new AtomicLong();

  /**
   * Sightings this store has committed ({@code file_names} opens and execs, one row per name and
   * hour), with the row that was kept. A sighting of a batch that is not earlier than the one here
   * cannot change the stored row, whose time only ever moves earlier (the upsert keeps the earlier
   * one), so it is left out of the batch instead of being staged and merged only to lose. Filled
   * only after a commit, so a batch rolled back teaches it nothing; a new process starts empty and
   * writes what it sees. Why: a long-running consumer at a low rate writes many small batches that
   * open the same libraries and data files again within the hour; each such sighting cost a staged
   * row and a conflicting upsert. (On the bulk capture, whose batches mostly sight files new to the
   * store, it shortened the sightings' upsert by about a quarter and did not move the rate:
   * docs/performance.md.)
   */
  private final Map<GraphBatch.Sighting, Rows.FileName> committedSightings =
      new ConcurrentHashMap<>();

  /** Entries kept at most; the map is emptied when it is full (it is only a shortcut). */
  private static final int SIGHTINGS_KEPT = 50_000;

  private final AtomicLong sightingsSkipped = new AtomicLong();

  /**
   * @param dataSource the pool
   * @param skew how far clocks of different sources may disagree when a Spectrum Scale event is
   *     joined to an audited process
   */
  public GraphStore(DataSource dataSource, Duration skew) {
    this(dataSource, skew, false);
  }

  private GraphStore(DataSource dataSource, Duration skew, boolean fromArchive) {
    this.dataSource = dataSource;
    this.skewMillis = skew.toMillis();
    this.fromArchive = fromArchive;
  }

  /**
   * A store for batches made from events read back from {@code event_archive} (a rebuild): every
   * row except the archive's is written through staging and {@code ON CONFLICT}, so rows already
   * present stay as they are and missing ones are made again.
   */
  public GraphStore forArchiveReplay() {
    return new GraphStore(dataSource, Duration.ofMillis(skewMillis), true);
  }

  /**
   * Empties every table derived from the archive (all graph tables but {@code event_archive} and
   * {@code hosts}, and the Spectrum Scale rename halves) on {@code c}, in the caller's transaction.
   * {@code hosts} stays because host status reports, which are not archived, also mark hosts as
   * seen; replaying only widens its first/last seen. Host status reports, rule state, tracked
   * versions, alerts, job audit and CamFlow state are not derived from the archive and stay. The
   * caller must make sure no graph rows came from elsewhere ({@link #sourcesBesidesTheArchive}).
   */
  public static void truncateDerived(Connection c) throws SQLException {
    List<String> derived = new ArrayList<>(List.of(TABLES));
    derived.remove("event_archive");
    derived.remove("hosts");
    derived.add("scale_moves");
    try (Statement s = c.createStatement()) {
      s.execute("TRUNCATE " + String.join(", ", derived));
    }
  }

  /** Work done inside one transaction of {@link #inTransaction}. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Transaction tx) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction after locking {@code hosts} (sorted, transaction-scoped),
   * and commits. Rolls back on any exception.
   */
  public <T> T inTransaction(Collection<String> hosts, Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      // Before the transaction, committed on their own: temporary tables made inside a transaction
      // that then rolls back (a full disk, say) are gone, while the connection would be marked as
      // having them, and every later batch on it would fail with "stage_hosts does not exist".
      ensureStages(c);
      c.setAutoCommit(false);
      try {
        lock(c, hosts);
        Transaction tx = new Transaction(c, hosts);
        T result = work.run(tx);
        c.commit();
        for (GraphBatch b : tx.written) {
          remember(b);
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          // The connection is probably gone; the original error is what matters.
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  /**
   * Makes the COPY data of the batch now (see {@link #prepare(GraphBatch)}), after leaving out the
   * sightings this store has committed already.
   */
  public void prepareBatch(GraphBatch b) throws SQLException {
    skipCommittedSightings(b);
    prepare(b);
  }

  /** Leaves out of the batch the sightings that cannot change a row this store committed. */
  private void skipCommittedSightings(GraphBatch b) {
    if (b.sightings.isEmpty() || committedSightings.isEmpty()) {
      return;
    }
    int before = b.sightings.size();
    b.sightings
        .entrySet()
        .removeIf(
            e -> {
              Rows.FileName kept = committedSightings.get(e.getKey());
              return kept != null && GraphBatch.Sighting.earlier(kept, e.getValue()) == kept;
            });
    int skipped = before - b.sightings.size();
    if (skipped > 0) {
      b.prepared = null;
      sightingsSkipped.addAndGet(skipped);
    }
  }

  private void remember(GraphBatch b) {
    if (b.sightings.isEmpty()) {
      return;
    }
    if (committedSightings.size() + b.sightings.size() > SIGHTINGS_KEPT) {
      committedSightings.clear();
    }
    b.sightings.forEach((k, v) -> committedSightings.merge(k, v, GraphBatch.Sighting::earlier));
  }

  /** Sightings left out of batches because a row this store committed already has them. */
  public long sightingsSkipped() {
    return sightingsSkipped.get();
  }

  /** Writes a batch in its own transaction. */
  public void write(GraphBatch batch) throws SQLException {
    if (batch.isEmpty()) {
      return;
    }
    inTransaction(
        batch.lockHosts(),
        tx -> {
          tx.write(batch);
          return null;
        });
  }

  private static void lock(Connection c, Collection<String> hosts) throws SQLException {
    if (hosts.isEmpty()) {
      return;
    }
    // One statement per host in sorted order: the order must be the same in every transaction.
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pg_advisory_xact_lock(hashtextextended('ursprung-host:' || ?, 0))")) {
      for (String h : new TreeSet<>(hosts)) {
        ps.setString(1, h);
        ps.execute();
      }
    }
  }

  /** One open transaction of {@link #inTransaction}. */
  public final class Transaction {
    private final Connection c;
    private final Set<String> locked;
    private final List<GraphBatch> written = new ArrayList<>();

    Transaction(Connection c, Collection<String> locked) {
      this.c = c;
      this.locked = Set.copyOf(locked);
    }

    /**
     * The transaction's connection, for rows written with the batch that the graph does not know
     * (the rule engine's work items); do not commit or close it.
     */
    public Connection connection() {
      return c;
    }

    /**
     * Writes the batch's rows.
     *
     * <p>Two ways, same result. First (every first delivery of an auditd batch), the rows that
     * belong to one event (archive, names, versions, edges) are COPYed straight into their tables,
     * under a savepoint. If that hits a stored key (a batch delivered again after a crash), the
     * savepoint is rolled back and every table goes through its staging table and {@code INSERT ...
     * ON CONFLICT}. Rows merged from several events (processes, files, hosts) and rows computed in
     * SQL (sockets joins, Spectrum Scale attachment) always take the second way.
     *
     * <p>Why the first way is safe: all rows of an event are written in the transaction that writes
     * its archive row, or later (Spectrum Scale rename pairs, which never take the first way), so
     * an event whose archive row is absent has no rows. The archive's primary key (host, id) makes
     * its COPY fail if any event of the batch is stored already, and the whole first way is one
     * savepoint: so when it succeeds, no event of the batch had any row, and nothing it wrote can
     * be a duplicate. The advisory locks of the batch's hosts keep other consumers from storing
     * these events meanwhile. There used to be a probe of the archive for the batch's ids before
     * the COPY; it only saved a failed COPY on replays (rare, and a replayed batch starts with its
     * stored events, so the COPY fails at once) and cost every first delivery an index probe per
     * event, about a tenth of the consumer's wait on PostgreSQL in a profile.
     */
    public void write(GraphBatch b) throws SQLException {
      if (b.prepared == null) {
        skipCommittedSightings(b);
      }
      writeGraph(b);
      writeHostStatus(b);
      written.add(b);
    }

    private void writeGraph(GraphBatch b) throws SQLException {
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      if (!fromArchive && directEligible(b)) {
        Savepoint sp = c.setSavepoint();
        try {
          writeRows(copy, b, true);
          c.releaseSavepoint(sp);
          directBatches.incrementAndGet();
          return;
        } catch (SQLException e) {
          if (!isUniqueViolation(e)) {
            throw e;
          }
          c.rollback(sp);
        }
      }
      writeRows(copy, b, false);
      stagedBatches.incrementAndGet();
    }

    /** Upserts the host status reports; an older report never replaces a newer one. */
    private void writeHostStatus(GraphBatch b) throws SQLException {
      if (b.hostStatus.isEmpty()) {
        return;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO host_status AS s (host, reported, received, producer,"
                  + " interval_seconds, kernel_available, kernel_reason, kernel_enabled,"
                  + " kernel_lost, kernel_backlog, kernel_backlog_limit, events_published,"
                  + " input_dropped, sink_dropped, spooled, spool_pending)"
                  + " VALUES (?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (host) DO UPDATE SET reported = EXCLUDED.reported,"
                  + " received = EXCLUDED.received, producer = EXCLUDED.producer,"
                  + " interval_seconds = EXCLUDED.interval_seconds,"
                  + " kernel_available = EXCLUDED.kernel_available,"
                  + " kernel_reason = EXCLUDED.kernel_reason,"
                  + " kernel_enabled = EXCLUDED.kernel_enabled,"
                  + " kernel_lost = EXCLUDED.kernel_lost,"
                  + " kernel_backlog = EXCLUDED.kernel_backlog,"
                  + " kernel_backlog_limit = EXCLUDED.kernel_backlog_limit,"
                  + " events_published = EXCLUDED.events_published,"
                  + " input_dropped = EXCLUDED.input_dropped,"
                  + " sink_dropped = EXCLUDED.sink_dropped, spooled = EXCLUDED.spooled,"
                  + " spool_pending = EXCLUDED.spool_pending"
                  + " WHERE s.reported < EXCLUDED.reported")) {
        for (Rows.HostStatusRow r : b.hostStatus.values()) {
          HostStatus.Kernel k = r.status().kernel();
          HostStatus.Counters n = r.status().counters();
          int i = 1;
          ps.setString(i++, r.host());
          ps.setObject(i++, OffsetDateTime.ofInstant(r.reported(), ZoneOffset.UTC));
          ps.setString(i++, r.producer());
          ps.setObject(i++, r.status().intervalSeconds(), Types.BIGINT);
          ps.setBoolean(i++, k.available());
          ps.setString(i++, k.reason());
          ps.setObject(i++, k.enabled(), Types.BIGINT);
          ps.setObject(i++, k.lost(), Types.BIGINT);
          ps.setObject(i++, k.backlog(), Types.BIGINT);
          ps.setObject(i++, k.backlogLimit(), Types.BIGINT);
          ps.setLong(i++, n.eventsPublished());
          ps.setLong(i++, n.inputDropped());
          ps.setLong(i++, n.sinkDropped());
          ps.setLong(i++, n.spooled());
          ps.setLong(i++, n.spoolPending());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }

    /**
     * Whether every row that the direct way would COPY belongs to an event archived by this batch
     * on a locked host, and needs nothing computed in SQL.
     */
    private boolean directEligible(GraphBatch b) {
      if (b.archive.isEmpty()) {
        return false;
      }
      Set<String> ids = new HashSet<>(b.archive.size() * 2);
      for (Rows.Archive a : b.archive) {
        if (!locked.contains(a.host())) {
          return false;
        }
        ids.add(a.id());
      }
      for (Rows.Version v : b.versions) {
        if (SCALE.equals(v.source()) || !ids.contains(v.eventId())) {
          return false;
        }
      }
      for (Rows.Used u : b.used) {
        if (SCALE.equals(u.source()) || !ids.contains(u.eventId())) {
          return false;
        }
      }
      for (Rows.FileName n : b.names) {
        if (!ids.contains(n.eventId())) {
          return false;
        }
      }
      for (Rows.Exec e : b.execs) {
        if (!ids.contains(e.eventId())) {
          return false;
        }
      }
      for (Rows.Informed i : b.informed) {
        if (!ids.contains(i.eventId())) {
          return false;
        }
      }
      for (Rows.Derived d : b.derived) {
        if (!ids.contains(d.eventId())) {
          return false;
        }
      }
      for (Rows.JobEvent j : b.jobs) {
        if (!ids.contains(j.eventId())) {
          return false;
        }
      }
      return true;
    }

    private void writeRows(CopyManager copy, GraphBatch b, boolean direct) throws SQLException {
      StringBuilder sql = new StringBuilder();
      if (stage(copy, b, "hosts", COLS_HOSTS, b.hosts.size(), t -> hostsRows(b, t))) {
        sql.append(
            "INSERT INTO hosts AS h ("
                + COLS_HOSTS
                + ") SELECT "
                + COLS_HOSTS
                + " FROM stage_hosts ON CONFLICT (host) DO UPDATE SET"
                + " first_seen = LEAST(h.first_seen, EXCLUDED.first_seen),"
                + " last_seen = GREATEST(h.last_seen, EXCLUDED.last_seen)"
                + " WHERE h.first_seen > EXCLUDED.first_seen OR h.last_seen < EXCLUDED.last_seen;");
      }
      if (!fromArchive
          && load(
              copy,
              b,
              direct,
              "event_archive",
              COLS_ARCHIVE,
              b.archive.size(),
              t -> archiveRows(b, t))) {
        sql.append(insertNothing("event_archive", COLS_ARCHIVE));
      }
      if (stage(
          copy, b, "processes", COLS_PROCESSES, b.processes.size(), t -> processesRows(b, t))) {
        sql.append(UPSERT_PROCESSES);
        sql.append(
            attach(
                "used",
                "host",
                "time",
                "u.host = r.host AND u.event_id = r.event_id AND u.kind = r.kind",
                "host, event_id, kind"));
        sql.append(
            attach(
                "file_versions",
                "proc_host",
                "version_time",
                "u.host = r.host AND u.event_id = r.event_id",
                "host, event_id"));
      }
      if (load(
          copy, b, direct, "process_execs", COLS_EXECS, b.execs.size(), t -> execsRows(b, t))) {
        sql.append(insertNothing("process_execs", COLS_EXECS));
      }
      if (stage(copy, b, "files", COLS_FILES, b.files.size(), t -> filesRows(b, t))) {
        sql.append(
            "INSERT INTO files AS f ("
                + COLS_FILES
                + ") SELECT "
                + COLS_FILES
                + " FROM stage_files ON CONFLICT (host, fs, inode) DO UPDATE SET"
                + " first_seen = LEAST(f.first_seen, EXCLUDED.first_seen),"
                + " object_type = COALESCE(f.object_type, EXCLUDED.object_type)"
                + " WHERE f.first_seen > EXCLUDED.first_seen"
                + " OR (f.object_type IS NULL AND EXCLUDED.object_type IS NOT NULL);");
      }
      if (load(copy, b, direct, "file_names", COLS_NAMES, b.names.size(), t -> namesRows(b, t))) {
        sql.append(insertNothing("file_names", COLS_NAMES));
      }
      // Sightings are merged whichever way: a later batch may hold an earlier sighting.
      if (stage(
          copy,
          b,
          "file_sightings",
          COLS_NAMES,
          b.sightings.size(),
          t -> nameRows(b.sightings.values(), t))) {
        sql.append(UPSERT_SIGHTINGS);
      }
      if (load(
          copy,
          b,
          direct,
          "file_versions",
          COLS_VERSIONS,
          b.versions.size(),
          t -> versionsRows(b, t))) {
        sql.append(
            "INSERT INTO file_versions ("
                + COLS_VERSIONS
                + ") SELECT"
                + " s.host, s.event_id, s.fs, s.inode, s.version_time, s.cause, s.path, s.size,"
                + " s.proc_host, s.pid, COALESCE(s.start_time, CASE WHEN s.source = 'scale' THEN "
                + resolve("s.proc_host", "s.pid", "s.version_time")
                + " END), s.source FROM stage_file_versions s ON CONFLICT DO NOTHING;");
      }
      if (load(copy, b, direct, "used", COLS_USED, b.used.size(), t -> usedRows(b, t))) {
        sql.append(
            "INSERT INTO used ("
                + COLS_USED
                + ") SELECT s.host, s.event_id, s.kind, s.pid,"
                + " COALESCE(s.start_time, CASE WHEN s.source = 'scale' THEN "
                + resolve("s.host", "s.pid", "s.time")
                + " END), s.time, s.file_host, s.fs, s.inode, s.path, s.source"
                + " FROM stage_used s ON CONFLICT DO NOTHING;");
      }
      if (load(
          copy,
          b,
          direct,
          "was_informed_by",
          COLS_INFORMED,
          b.informed.size(),
          t -> informedRows(b, t))) {
        sql.append(insertNothing("was_informed_by", COLS_INFORMED));
      }
      if (load(
          copy,
          b,
          direct,
          "was_derived_from",
          COLS_DERIVED,
          b.derived.size(),
          t -> derivedRows(b, t))) {
        sql.append(insertNothing("was_derived_from", COLS_DERIVED));
      }
      // Sockets stay staged either way: the socket edges join the batch's connects (stage) to
      // the binds stored so far, including this batch's.
      if (stage(copy, b, "sockets", COLS_SOCKETS, b.sockets.size(), t -> socketsRows(b, t))) {
        sql.append(insertNothing("sockets", COLS_SOCKETS));
        sql.append(SOCKET_EDGES);
      }
      if (load(copy, b, direct, "job_events", COLS_JOBS, b.jobs.size(), t -> jobsRows(b, t))) {
        sql.append(insertNothing("job_events", COLS_JOBS));
      }
      if (sql.length() > 0) {
        try (Statement s = c.createStatement()) {
          // One round trip for all INSERT ... SELECT statements.
          s.execute(sql.toString());
        }
      }
    }

    /**
     * The stored halves of Spectrum Scale renames of a cluster with any of {@code cookies}, in any
     * state.
     */
    public List<Rows.Move> moves(String cluster, Collection<Long> cookies) throws SQLException {
      List<Rows.Move> out = new ArrayList<>();
      if (cookies.isEmpty()) {
        return out;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT host, cookie, half, event_id, node, fs, inode, path, pid, time, state,"
                  + " partner FROM scale_moves WHERE host = ? AND cookie = ANY (?)"
                  + " ORDER BY time, event_id")) {
        ps.setString(1, cluster);
        Array arr = c.createArrayOf("bigint", cookies.toArray());
        ps.setArray(2, arr);
        readMoves(ps, out);
      }
      return out;
    }

    /**
     * Marks the pending halves of a cluster older than {@code before} as expired and returns them.
     */
    public List<Rows.Move> expireMoves(String cluster, Instant before) throws SQLException {
      List<Rows.Move> out = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE scale_moves SET state = 'expired' WHERE host = ? AND state = 'pending'"
                  + " AND time < ? RETURNING host, cookie, half, event_id, node, fs, inode, path,"
                  + " pid, time, state, partner")) {
        ps.setString(1, cluster);
        ps.setTimestamp(2, Timestamp.from(before));
        readMoves(ps, out);
      }
      return out;
    }

    /** Stores halves, replacing the state of halves already stored. */
    public void saveMoves(Collection<Rows.Move> moves) throws SQLException {
      if (moves.isEmpty()) {
        return;
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO scale_moves (host, cookie, half, event_id, node, fs, inode, path, pid,"
                  + " time, state, partner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (host, cookie, half, event_id) DO UPDATE SET"
                  + " state = EXCLUDED.state, partner = EXCLUDED.partner")) {
        for (Rows.Move m : moves) {
          ps.setString(1, m.cluster());
          ps.setLong(2, m.cookie());
          ps.setString(3, m.half());
          ps.setString(4, m.eventId());
          ps.setString(5, m.node());
          ps.setString(6, m.fs());
          ps.setLong(7, m.inode());
          ps.setString(8, m.path());
          ps.setObject(9, m.pid());
          ps.setTimestamp(10, Timestamp.from(m.time()));
          ps.setString(11, m.state());
          ps.setString(12, m.partner());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }

    private void readMoves(PreparedStatement ps, List<Rows.Move> out) throws SQLException {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Rows.Move(
                  rs.getString(1),
                  rs.getLong(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getLong(7),
                  rs.getString(8),
                  (Integer) rs.getObject(9),
                  rs.getTimestamp(10).toInstant(),
                  rs.getString(11),
                  rs.getString(12)));
        }
      }
    }
  }

  private void ensureStages(Connection c) throws SQLException {
    Object physical = c.unwrap(PGConnection.class);
    if (staged.containsKey(physical)) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute(CREATE_STAGES);
    }
    staged.put(physical, Boolean.TRUE);
  }

  /** Writes rows into a {@link CopyBinary}. */
  @FunctionalInterface
  private interface RowWriter {
    void write(CopyBinary t) throws SQLException;
  }

  /** The number of columns in a COLS_* list: every binary row says how many values it has. */
  private static int fields(String cols) {
    return cols.split(",").length;
  }

  /** COPYs {@code n} rows into {@code stage_<table>}; false when there are none. */
  private static boolean stage(
      CopyManager copy, GraphBatch b, String table, String cols, int n, RowWriter rows)
      throws SQLException {
    return stream(copy, b.prepared(table), "stage_" + table, cols, n, rows);
  }

  /**
   * COPYs {@code n} rows into {@code table} itself when {@code direct} (and returns false: nothing
   * left to move), else into its staging table (true: the caller moves them).
   */
  private static boolean load(
      CopyManager copy,
      GraphBatch b,
      boolean direct,
      String table,
      String cols,
      int n,
      RowWriter rows)
      throws SQLException {
    if (direct) {
      stream(copy, b.prepared(table), table, cols, n, rows);
      return false;
    }
    return stage(copy, b, table, cols, n, rows);
  }

  /**
   * COPYs the rows into {@code target}: the data {@link #prepare} made, when there is, else made
   * now and sent as it is made.
   */
  private static boolean stream(
      CopyManager copy, byte[] ready, String target, String cols, int n, RowWriter rows)
      throws SQLException {
    if (n == 0) {
      return false;
    }
    CopyIn in = copy.copyIn("COPY " + target + " (" + cols + ") FROM STDIN (FORMAT binary)");
    try {
      if (ready != null) {
        in.writeToCopy(ready, 0, ready.length);
      } else {
        CopyBinary t = new CopyBinary(in, fields(cols));
        rows.write(t);
        t.finish();
      }
      in.endCopy();
    } finally {
      cancelIfActive(in);
    }
    return true;
  }

  private static void cancelIfActive(CopyIn in) {
    if (in.isActive()) {
      try {
        in.cancelCopy();
      } catch (SQLException suppressed) {
        // The COPY failed already; its error is the one that matters.
      }
    }
  }

  private static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
    }
    for (SQLException n = e.getNextException(); n != null; n = n.getNextException()) {
      if ("23505".equals(n.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private static String insertNothing(String table, String cols) {
    return "INSERT INTO "
        + table
        + " ("
        + cols
        + ") SELECT "
        + cols
        + " FROM stage_"
        + table
        + " ON CONFLICT DO NOTHING;";
  }

  /** The start time of the process incarnation of host/pid alive at time, within the skew. */
  private String resolve(String host, String pid, String time) {
    String skew = "interval '" + skewMillis + " milliseconds'";
    return "(SELECT max(p.start_time) FROM processes p WHERE p.host = "
        + host
        + " AND p.pid = "
        + pid
        + " AND p.start_time <= "
        + time
        + " + "
        + skew
        + " AND (p.end_time IS NULL OR p.end_time >= "
        + time
        + " - "
        + skew
        + "))";
  }

  /** Re-attaches Spectrum Scale rows of the hosts/pids whose processes this batch wrote. */
  private String attach(String table, String hostCol, String timeCol, String join, String keyCols) {
    return "UPDATE "
        + table
        + " u SET start_time = r.st FROM (SELECT "
        + prefixed("x.", keyCols)
        + ", "
        + resolve("x." + hostCol, "x.pid", "x." + timeCol)
        + " AS st FROM "
        + table
        + " x JOIN (SELECT DISTINCT host, pid FROM stage_processes) k"
        + " ON k.host = x."
        + hostCol
        + " AND k.pid = x.pid WHERE x.source = 'scale') r WHERE "
        + join
        + " AND u.start_time IS DISTINCT FROM r.st;";
  }

  private static String prefixed(String prefix, String cols) {
    StringBuilder sb = new StringBuilder();
    for (String col : cols.split(",")) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(prefix).append(col.trim());
    }
    return sb.toString();
  }

  /** Mirrors {@link ProcessRow#merge}: the result does not depend on the order events arrive. */
  private static final String UPSERT_PROCESSES;

  static {
    String newerFacts =
        "(EXCLUDED.facts_time IS NOT NULL AND (p.facts_time IS NULL"
            + " OR EXCLUDED.facts_time >= p.facts_time))";
    String newerGroup =
        "(EXCLUDED.group_time IS NOT NULL AND (p.group_time IS NULL"
            + " OR EXCLUDED.group_time >= p.group_time))";
    String exitWins =
        "(EXCLUDED.exit_how IS NOT NULL AND (p.exit_how IS NULL OR (EXCLUDED.exit_how IN"
            + " ('exit', 'exit_group', 'killed') AND p.exit_how NOT IN ('exit', 'exit_group',"
            + " 'killed'))))";
    StringBuilder sb = new StringBuilder();
    sb.append(
        "INSERT INTO processes AS p ("
            + COLS_PROCESSES
            + ") SELECT "
            + COLS_PROCESSES
            + " FROM stage_processes ON CONFLICT (host, pid, start_time) DO UPDATE SET ");
    List<String> sets = new ArrayList<>();
    for (String col : List.of("start_how", "parent_pid", "parent_start", "ppid")) {
      sets.add(col + " = COALESCE(p." + col + ", EXCLUDED." + col + ")");
    }
    sets.add("job_id = COALESCE(EXCLUDED.job_id, p.job_id)");
    for (String col :
        List.of(
            "uid",
            "gid",
            "euid",
            "egid",
            "auid",
            "user_name",
            "group_name",
            "login_user",
            "cwd",
            "exe",
            "argv")) {
      sets.add(pick(newerFacts, col));
    }
    sets.add("facts_time = GREATEST(p.facts_time, EXCLUDED.facts_time)");
    for (String col : List.of("pgid", "sid")) {
      sets.add(pick(newerGroup, col));
    }
    sets.add("group_time = GREATEST(p.group_time, EXCLUDED.group_time)");
    for (String col : List.of("end_time", "exit_code", "signal", "exit_how")) {
      sets.add(
          col + " = CASE WHEN " + exitWins + " THEN EXCLUDED." + col + " ELSE p." + col + " END");
    }
    sb.append(String.join(", ", sets)).append(';');
    UPSERT_PROCESSES = sb.toString();
  }

  private static String pick(String newer, String col) {
    return col
        + " = CASE WHEN "
        + newer
        + " THEN COALESCE(EXCLUDED."
        + col
        + ", p."
        + col
        + ") ELSE COALESCE(p."
        + col
        + ", EXCLUDED."
        + col
        + ") END";
  }

  /**
   * Local connections: a connect to an address and port (or unix path) bound on the same host joins
   * both processes, each informed by the other (data may flow both ways).
   */
  private static final String SOCKET_EDGES =
      "INSERT INTO was_informed_by ("
          + COLS_INFORMED
          + ")"
          + " SELECT c.host, c.event_id, 'socket', e.pid, e.st, e.ipid, e.ist, c.time,"
          + " COALESCE(c.path, c.address || ':' || c.port)"
          + " FROM stage_sockets c"
          + " JOIN LATERAL (SELECT s.pid, s.start_time FROM sockets s"
          + "   WHERE s.host = c.host AND s.op = 'bind' AND s.time <= c.time"
          + "   AND (s.result IS NULL OR s.result >= 0)"
          + "   AND ((c.family IN ('inet', 'inet6') AND s.family IN ('inet', 'inet6')"
          + "         AND s.port = c.port AND (s.address = c.address"
          + "           OR ((c.address LIKE '127.%' OR c.address IN ('::1', '::ffff:127.0.0.1'))"
          + "             AND (s.address LIKE '127.%' OR s.address IN ('0.0.0.0', '::', '::1')))))"
          + "     OR (c.family = 'unix' AND s.family = 'unix' AND s.path = c.path))"
          + "   ORDER BY s.time DESC LIMIT 1) b ON true"
          + " CROSS JOIN LATERAL (VALUES (b.pid, b.start_time, c.pid, c.start_time),"
          + "   (c.pid, c.start_time, b.pid, b.start_time)) AS e(pid, st, ipid, ist)"
          + " WHERE c.op = 'connect' AND (c.result IS NULL OR c.result >= 0 OR c.result = -115)"
          + " AND NOT (b.pid = c.pid AND b.start_time = c.start_time)"
          + " ON CONFLICT DO NOTHING;";

  // ---- COPY data of each table, binary (CopyBinary); column order as in the COLS_* constants ----

  private static void hostsRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (GraphBatch.HostSeen h : b.hosts.values()) {
      t.row().text(h.host()).text(h.kind()).timestamptz(h.first()).timestamptz(h.last()).end();
    }
  }

  private static void archiveRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (Rows.Archive a : b.archive) {
      t.row().text(a.host()).text(a.id()).text(a.type()).timestamptz(a.time());
      t.text(a.producer()).bytes(a.payload()).text(a.topic()).int4(a.partition());
      t.int8(a.offset()).end();
    }
  }

  private static void processesRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (ProcessRow p : b.processes.values()) {
      t.row().text(p.host).int4(p.pid).timestamptz(p.start).text(p.startHow).int4(p.parentPid);
      t.timestamptz(p.parentStart).int4(p.ppid).int4(p.pgid).int4(p.sid);
      t.timestamptz(p.groupTime).int4(p.uid).int4(p.gid).int4(p.euid).int4(p.egid);
      t.int8(p.auid).text(p.user).text(p.group).text(p.loginUser).text(p.cwd).text(p.exe);
      t.textArray(p.argv).timestamptz(p.factsTime).timestamptz(p.endTime).int4(p.exitCode);
      t.int4(p.signal).text(p.exitHow).text(p.jobId).end();
    }
  }

  private static void execsRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (Rows.Exec e : b.execs) {
      t.row().text(e.host()).text(e.eventId()).int4(e.pid()).timestamptz(e.start());
      t.timestamptz(e.time()).text(e.exe()).text(e.exeFs()).int8(e.exeInode());
      t.textArray(e.argv()).text(e.cwd()).int4(e.uid()).text(e.user()).end();
    }
  }

  private static void filesRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (Rows.File f : b.files.values()) {
      t.row().text(f.key().host()).text(f.key().fs()).int8(f.key().inode());
      t.text(f.objectType()).timestamptz(f.firstSeen()).end();
    }
  }

  private static void namesRows(GraphBatch b, CopyBinary t) throws SQLException {
    nameRows(b.names, t);
  }

  private static void nameRows(Collection<Rows.FileName> rows, CopyBinary t) throws SQLException {
    for (Rows.FileName n : rows) {
      t.row().text(n.file().host()).text(n.eventId()).text(n.path()).text(n.op());
      t.text(n.file().fs()).int8(n.file().inode()).timestamptz(n.time()).text(n.procHost());
      t.int4(n.pid()).timestamptz(n.start()).end();
    }
  }

  private static void versionsRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (Rows.Version v : b.versions) {
      t.row().text(v.file().host()).text(v.eventId()).text(v.file().fs()).int8(v.file().inode());
      t.timestamptz(v.time()).text(v.cause()).text(v.path()).int8(v.size()).text(v.procHost());
      t.int4(v.pid()).timestamptz(v.start()).text(v.source()).end();
    }
  }

  private static void usedRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (Rows.Used u : b.used) {
      t.row().text(u.host()).text(u.eventId()).text(u.kind()).int4(u.pid());
      t.timestamptz(u.start()).timestamptz(u.time()).text(u.file().host()).text(u.file().fs());
      t.int8(u.file().inode()).text(u.path()).text(u.source()).end();
    }
  }

  private static void informedRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (Rows.Informed i : b.informed) {
      t.row().text(i.host()).text(i.eventId()).text(i.kind()).int4(i.pid());
      t.timestamptz(i.start()).int4(i.informantPid()).timestamptz(i.informantStart());
      t.timestamptz(i.time()).text(i.channel()).end();
    }
  }

  private static void derivedRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (Rows.Derived d : b.derived) {
      t.row().text(d.file().host()).text(d.eventId()).text(d.kind()).text(d.file().fs());
      t.int8(d.file().inode()).text(d.path());
      if (d.src() == null) {
        t.text(null).int8((Long) null);
      } else {
        t.text(d.src().fs()).int8(d.src().inode());
      }
      t.text(d.srcPath()).timestamptz(d.time()).text(d.procHost()).int4(d.pid());
      t.timestamptz(d.start()).end();
    }
  }

  private static void socketsRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (Rows.Socket s : b.sockets) {
      t.row().text(s.host()).text(s.eventId()).int4(s.pid()).timestamptz(s.start());
      t.timestamptz(s.time()).text(s.op()).text(s.family()).text(s.address()).int4(s.port());
      t.text(s.path()).int4(s.fd()).int8(s.result()).end();
    }
  }

  private static void jobsRows(GraphBatch b, CopyBinary t) throws SQLException {
    for (Rows.JobEvent j : b.jobs) {
      t.row().text(j.host()).text(j.eventId()).text(j.jobId()).text(j.stage()).text(j.user());
      t.jsonb(j.attributesJson()).timestamptz(j.time()).end();
    }
  }

  // ---- measurement and inspection ----

  // About what a graph row of the bulk capture takes in binary COPY (ids, a path, times), to size
  // a batch's COPY data at once; payloads are added for the archive.
  private static final int ROW_BYTES = 192;

  /**
   * Makes the COPY data of every table of the batch now, so that {@link #write} only sends it.
   *
   * <p>Why: the pipelined consumer maps a batch on its polling thread while the batch before is
   * written; what is made here runs there too, and the writer thread, whose time is the consumer's
   * rate, only waits for PostgreSQL. Making the rows was about a third of the writer's time in a
   * profile of the bulk capture. The batch must not change afterwards (every change of it drops
   * what was made).
   */
  public static void prepare(GraphBatch b) throws SQLException {
    Map<String, byte[]> m = new HashMap<>();
    data(m, "hosts", COLS_HOSTS, b.hosts.size(), t -> hostsRows(b, t));
    long payloads = 0;
    for (Rows.Archive a : b.archive) {
      payloads += a.payload() == null ? 0 : a.payload().length;
    }
    data(m, "event_archive", COLS_ARCHIVE, b.archive.size(), payloads, t -> archiveRows(b, t));
    data(m, "processes", COLS_PROCESSES, b.processes.size(), t -> processesRows(b, t));
    data(m, "process_execs", COLS_EXECS, b.execs.size(), t -> execsRows(b, t));
    data(m, "files", COLS_FILES, b.files.size(), t -> filesRows(b, t));
    data(m, "file_names", COLS_NAMES, b.names.size(), t -> namesRows(b, t));
    data(
        m,
        "file_sightings",
        COLS_NAMES,
        b.sightings.size(),
        t -> nameRows(b.sightings.values(), t));
    data(m, "file_versions", COLS_VERSIONS, b.versions.size(), t -> versionsRows(b, t));
    data(m, "used", COLS_USED, b.used.size(), t -> usedRows(b, t));
    data(m, "was_informed_by", COLS_INFORMED, b.informed.size(), t -> informedRows(b, t));
    data(m, "was_derived_from", COLS_DERIVED, b.derived.size(), t -> derivedRows(b, t));
    data(m, "sockets", COLS_SOCKETS, b.sockets.size(), t -> socketsRows(b, t));
    data(m, "job_events", COLS_JOBS, b.jobs.size(), t -> jobsRows(b, t));
    b.prepared = m;
  }

  /** Puts the COPY data of a table's {@code n} rows under its name, when there are any. */
  private static void data(Map<String, byte[]> m, String table, String cols, int n, RowWriter rows)
      throws SQLException {
    data(m, table, cols, n, 0, rows);
  }

  /** As above, {@code large} more bytes expected than the columns' usual size (the payloads). */
  private static void data(
      Map<String, byte[]> m, String table, String cols, int n, long large, RowWriter rows)
      throws SQLException {
    if (n > 0) {
      long expected = 32 + n * (long) ROW_BYTES + large;
      CopyBinary t = new CopyBinary(fields(cols), (int) Math.min(expected, 64L << 20));
      rows.write(t);
      t.finish();
      m.put(table, t.bytes());
    }
  }

  /**
   * The ceiling a consumer is measured against: the same rows COPYed straight into the graph
   * tables, without staging, conflict handling, merging or joins, in one transaction. The COPY data
   * is made before the clock starts, so the figure is PostgreSQL's alone. Only meaningful on empty
   * tables (duplicate keys fail); used by the benchmark.
   *
   * @return nanoseconds from the first COPY to the commit
   */
  public long copyRaw(GraphBatch b) throws SQLException {
    return copyRaw(b, new LinkedHashMap<>());
  }

  /**
   * {@link #copyRaw(GraphBatch)}, also adding each table's COPY time (nanoseconds) to {@code
   * byTable}, and the commit's under {@code "commit"}: where the ceiling's time goes.
   */
  public long copyRaw(GraphBatch b, Map<String, Long> byTable) throws SQLException {
    Map<String, String> cols = new LinkedHashMap<>();
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    raw(bytes, cols, "hosts", COLS_HOSTS, b.hosts.size(), t -> hostsRows(b, t));
    raw(bytes, cols, "processes", COLS_PROCESSES, b.processes.size(), t -> processesRows(b, t));
    raw(bytes, cols, "process_execs", COLS_EXECS, b.execs.size(), t -> execsRows(b, t));
    raw(bytes, cols, "files", COLS_FILES, b.files.size(), t -> filesRows(b, t));
    raw(
        bytes,
        cols,
        "file_names",
        COLS_NAMES,
        b.names.size() + b.sightings.size(),
        t -> {
          namesRows(b, t);
          nameRows(b.sightings.values(), t);
        });
    raw(bytes, cols, "file_versions", COLS_VERSIONS, b.versions.size(), t -> versionsRows(b, t));
    raw(bytes, cols, "used", COLS_USED, b.used.size(), t -> usedRows(b, t));
    raw(bytes, cols, "was_informed_by", COLS_INFORMED, b.informed.size(), t -> informedRows(b, t));
    raw(bytes, cols, "was_derived_from", COLS_DERIVED, b.derived.size(), t -> derivedRows(b, t));
    raw(bytes, cols, "sockets", COLS_SOCKETS, b.sockets.size(), t -> socketsRows(b, t));
    raw(bytes, cols, "job_events", COLS_JOBS, b.jobs.size(), t -> jobsRows(b, t));
    raw(bytes, cols, "event_archive", COLS_ARCHIVE, b.archive.size(), t -> archiveRows(b, t));
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      long t0 = System.nanoTime();
      for (Map.Entry<String, byte[]> e : bytes.entrySet()) {
        long ts = System.nanoTime();
        try {
          copy.copyIn(
              "COPY " + e.getKey() + " (" + cols.get(e.getKey()) + ") FROM STDIN (FORMAT binary)",
              new ByteArrayInputStream(e.getValue()),
              CopyBinary.CHUNK);
        } catch (java.io.IOException ex) {
          throw new SQLException(
              "COPY into " + e.getKey() + " failed: " + ex.getMessage(), "08006", ex);
        }
        byTable.merge(e.getKey(), System.nanoTime() - ts, Long::sum);
      }
      long tc = System.nanoTime();
      c.commit();
      byTable.merge("commit", System.nanoTime() - tc, Long::sum);
      return System.nanoTime() - t0;
    }
  }

  private static void raw(
      Map<String, byte[]> bytes,
      Map<String, String> cols,
      String table,
      String columns,
      int n,
      RowWriter rows)
      throws SQLException {
    if (n > 0) {
      CopyBinary t = new CopyBinary(null, fields(columns));
      rows.write(t);
      t.finish();
      bytes.put(table, t.bytes());
      cols.put(table, columns);
    }
  }

  /** Batches written straight into the tables, and through staging (metrics and tests). */
  public long[] batchesByWay() {
    return new long[] {directBatches.get(), stagedBatches.get()};
  }

  /** Empties every graph table (benchmarks and tests only). */
  public void truncateAll() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE " + String.join(", ", TABLES) + ", scale_moves");
    }
    // The rows it remembers are gone.
    committedSightings.clear();
  }

  /** Row counts of every graph table, by table name. */
  public Map<String, Long> counts() throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String t : TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + t)) {
          rs.next();
          out.put(t, rs.getLong(1));
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM scale_moves")) {
        rs.next();
        out.put("scale_moves", rs.getLong(1));
      }
    }
    return out;
  }
}
