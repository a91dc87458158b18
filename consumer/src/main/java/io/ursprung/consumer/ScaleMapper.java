package io.ursprung.consumer;

import io.ursprung.consumer.rules.RuleHook;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.graph.Rows;
import io.ursprung.db.graph.Rows.FileKey;
import io.ursprung.events.MalformedEventException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Maps Spectrum Scale watch folder events to graph rows (docs/store.md). File events name their
 * process by node and pid only; the store attaches them to the audited process alive at the event
 * time, whichever arrives first. Renames arrive as two halves with one cookie, in either order and
 * possibly in different batches or consumer instances: halves are kept in {@code scale_moves} and
 * paired inside the batch's transaction.
 */
public final class ScaleMapper implements SourceHandler {
  static final String SOURCE = "scale";
  private static final Comparator<Rows.Move> BY_TIME =
      Comparator.comparing(Rows.Move::time).thenComparing(Rows.Move::eventId);

  private final GraphStore store;
  private final Duration renameTimeout;
  private GraphBatch batch = new GraphBatch();
  private final Map<String, Rows.Move> halves = new LinkedHashMap<>();
  private Instant latest;
  private final RuleHook rules;

  public ScaleMapper(GraphStore store, Duration renameTimeout) {
    this(store, renameTimeout, RuleHook.NONE);
  }

  /** With rules: every event is offered to {@code rules}, whose work joins the batch. */
  public ScaleMapper(GraphStore store, Duration renameTimeout, RuleHook rules) {
    this.store = store;
    this.renameTimeout = renameTimeout;
    this.rules = rules;
  }

  @Override
  public void add(byte[] key, byte[] value, String topic, int partition, long offset)
      throws MalformedEventException {
    ScaleRecord r = ScaleRecord.parse(value);
    StoredJson.check(value);
    map(r, value, topic, partition, offset, batch, halves);
    latest = latest == null || r.time().isAfter(latest) ? r.time() : latest;
    rules.event(r);
  }

  /** Adds the rows of one record to {@code b}; a rename half goes to {@code halves} instead. */
  static void map(
      ScaleRecord r,
      byte[] json,
      String topic,
      Integer partition,
      Long offset,
      GraphBatch b,
      Map<String, Rows.Move> halves) {
    b.countEvent();
    b.seen(r.cluster(), "cluster", r.time());
    b.seen(r.node(), "host", r.time());
    b.archive(
        new Rows.Archive(
            r.cluster(),
            r.id(),
            "scale.watch",
            r.time(),
            "mmwatch",
            json,
            topic,
            partition,
            offset));
    boolean dir = r.is("IN_ISDIR");
    FileKey key = new FileKey(r.cluster(), r.fs(), r.inode());
    if (r.is("IN_MOVED_FROM") || r.is("IN_MOVED_TO")) {
      b.file(key, dir ? "dir" : null, r.time());
      String half = r.is("IN_MOVED_FROM") ? "from" : "to";
      halves.putIfAbsent(
          r.id(),
          new Rows.Move(
              r.cluster(),
              r.cookie(),
              half,
              r.id(),
              r.node(),
              r.fs(),
              r.inode(),
              r.path(),
              r.pid(),
              r.time(),
              "pending",
              null));
      return;
    }
    b.file(key, dir ? "dir" : null, r.time());
    if (r.is("IN_CREATE")) {
      name(b, r, key, dir ? "mkdir" : "create");
      if (!dir) {
        version(b, r, key, "create");
      }
    }
    if (r.is("IN_CLOSE_WRITE") && !dir) {
      version(b, r, key, "write");
    }
    if ((r.is("IN_CLOSE_NOWRITE") || r.is("IN_ACCESS")) && !dir) {
      b.used(
          new Rows.Used(r.node(), r.id(), "read", r.pid(), null, r.time(), key, r.path(), SOURCE));
    }
    if (r.is("IN_OPEN") && !dir) {
      name(b, r, key, "open");
    }
    if (r.is("IN_DELETE") || r.is("IN_DELETE_SELF")) {
      name(b, r, key, dir ? "rmdir" : "unlink");
    }
  }

  private static void name(GraphBatch b, ScaleRecord r, FileKey key, String op) {
    if (r.path() != null) {
      b.name(new Rows.FileName(r.id(), r.path(), op, key, r.time(), r.node(), r.pid(), null));
    }
  }

  private static void version(GraphBatch b, ScaleRecord r, FileKey key, String cause) {
    b.version(
        new Rows.Version(
            r.id(), key, r.time(), cause, r.path(), r.size(), r.node(), r.pid(), null, SOURCE));
  }

  @Override
  public void write() throws SQLException {
    if (batch.isEmpty() && halves.isEmpty()) {
      return;
    }
    TreeSet<String> locks = new TreeSet<>(batch.lockHosts());
    halves.values().forEach(m -> locks.add(m.cluster()));
    store.inTransaction(
        locks,
        tx -> {
          pairMoves(tx);
          tx.write(batch);
          rules.write(tx.connection());
          return null;
        });
    rules.committed();
  }

  private void pairMoves(GraphStore.Transaction tx) throws SQLException {
    Map<String, List<Rows.Move>> byCluster = new TreeMap<>();
    for (Rows.Move m : halves.values()) {
      byCluster.computeIfAbsent(m.cluster(), k -> new ArrayList<>()).add(m);
    }
    for (Map.Entry<String, List<Rows.Move>> e : byCluster.entrySet()) {
      String cluster = e.getKey();
      List<Rows.Move> fresh = e.getValue();
      TreeSet<Long> cookies = new TreeSet<>();
      fresh.forEach(m -> cookies.add(m.cookie()));
      Map<String, Rows.Move> all = new LinkedHashMap<>();
      for (Rows.Move m : tx.moves(cluster, cookies)) {
        all.put(m.eventId(), m);
      }
      for (Rows.Move m : fresh) {
        all.putIfAbsent(m.eventId(), m); // a stored half keeps its state: this is a re-delivery
      }
      List<Rows.Move> changed = new ArrayList<>();
      Map<Long, List<Rows.Move>> byCookie = new TreeMap<>();
      for (Rows.Move m : all.values()) {
        byCookie.computeIfAbsent(m.cookie(), k -> new ArrayList<>()).add(m);
      }
      for (List<Rows.Move> group : byCookie.values()) {
        group.sort(BY_TIME);
        // Halves paired earlier and delivered again: write the same rows again (a no-op).
        for (Rows.Move m : group) {
          if (m.state().equals("paired") && halves.containsKey(m.eventId())) {
            Rows.Move other = all.get(m.partner());
            if (other != null) {
              Rows.Move from = m.half().equals("from") ? m : other;
              Rows.Move to = m.half().equals("from") ? other : m;
              renamed(batch, from, to);
            }
          } else if (m.state().equals("expired") && halves.containsKey(m.eventId())) {
            unpaired(batch, m);
          }
        }
        List<Rows.Move> froms = new ArrayList<>();
        List<Rows.Move> tos = new ArrayList<>();
        for (Rows.Move m : group) {
          if (m.state().equals("pending")) {
            (m.half().equals("from") ? froms : tos).add(m);
          }
        }
        int n = Math.min(froms.size(), tos.size());
        for (int i = 0; i < n; i++) {
          Rows.Move from = froms.get(i).with("paired", tos.get(i).eventId());
          Rows.Move to = tos.get(i).with("paired", froms.get(i).eventId());
          changed.add(from);
          changed.add(to);
          renamed(batch, from, to);
        }
        for (int i = n; i < froms.size(); i++) {
          changed.add(froms.get(i));
        }
        for (int i = n; i < tos.size(); i++) {
          changed.add(tos.get(i));
        }
      }
      tx.saveMoves(changed);
      if (latest != null) {
        for (Rows.Move m : tx.expireMoves(cluster, latest.minus(renameTimeout))) {
          unpaired(batch, m);
        }
      }
    }
  }

  /** A completed rename: the inode gets the new name and a version there. */
  static void renamed(GraphBatch b, Rows.Move from, Rows.Move to) {
    FileKey src = new FileKey(from.cluster(), from.fs(), from.inode());
    FileKey dst = new FileKey(to.cluster(), to.fs(), to.inode());
    if (from.path() != null) {
      b.name(
          new Rows.FileName(
              from.eventId(),
              from.path(),
              "rename-from",
              src,
              from.time(),
              from.node(),
              from.pid(),
              null));
    }
    if (to.path() != null) {
      b.name(
          new Rows.FileName(
              to.eventId(), to.path(), "rename-to", dst, to.time(), to.node(), to.pid(), null));
    }
    b.version(
        new Rows.Version(
            to.eventId(),
            dst,
            to.time(),
            "rename",
            to.path(),
            null,
            to.node(),
            to.pid(),
            null,
            SOURCE));
    b.derived(
        new Rows.Derived(
            to.eventId(),
            "rename",
            dst,
            to.path(),
            src,
            from.path(),
            to.time(),
            to.node(),
            to.pid(),
            null));
  }

  /** A half whose partner never came: a move out of (from) or into (to) the watched tree. */
  static void unpaired(GraphBatch b, Rows.Move m) {
    FileKey key = new FileKey(m.cluster(), m.fs(), m.inode());
    b.file(key, null, m.time());
    if (m.path() != null) {
      b.name(
          new Rows.FileName(
              m.eventId(),
              m.path(),
              m.half().equals("from") ? "rename-from" : "rename-to",
              key,
              m.time(),
              m.node(),
              m.pid(),
              null));
    }
    if (m.half().equals("to")) {
      b.version(
          new Rows.Version(
              m.eventId(),
              key,
              m.time(),
              "rename",
              m.path(),
              null,
              m.node(),
              m.pid(),
              null,
              SOURCE));
    }
  }

  @Override
  public void reset() {
    batch = new GraphBatch();
    halves.clear();
    latest = null;
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
}
