package io.ursprung.consumer.rules;

import io.ursprung.db.Database;
import io.ursprung.db.PathKey;
import io.ursprung.rules.Target;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where action records go, transactionally. {@link #run} opens one transaction on the target's
 * database (the store for {@code INTO FILE} and for actions without a target); the action reads and
 * writes its state ({@code rule_state} of that database) and emits records in it, and the work item
 * is marked done in the same transaction when that database is the store. When it is another
 * database, the item is marked done right after the commit; a crash in between repeats the item,
 * which the committed state turns into a no-op.
 *
 * <p>{@code INTO FILE} appends are made exactly-once with a size recorded in the store's {@code
 * rule_state} (rule id {@value #FILE_STATE}, target = the file's path) in the same transaction: a
 * writer first cuts the file back to the recorded size, so an append whose transaction did not
 * commit is undone by the next one.
 */
final class Outputs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Outputs.class);
  static final String FILE_STATE = "file-target";
  private static final int INSERT_BATCH = 1000;

  /** A database reachable by alias; {@code store} when it is the provenance store itself. */
  record Db(String alias, DataSource dataSource, boolean store) {}

  /** The body of {@link #run}. */
  @FunctionalInterface
  interface Body<T> {
    T run(Unit unit) throws Exception;
  }

  private final Db storeDb;
  private final WorkStore work;
  private final Map<String, Db> aliases = new ConcurrentHashMap<>();
  private final List<Database> opened = new ArrayList<>();
  private final Set<String> stateTableReady = ConcurrentHashMap.newKeySet();

  /**
   * @param store the provenance store's pool
   * @param storeUrl its JDBC URL; aliases with the same URL and user share the store's pool
   * @param storeUser its user
   * @param databases the configured aliases
   */
  Outputs(
      DataSource store,
      String storeUrl,
      String storeUser,
      Map<String, RuleSettings.DbAlias> databases,
      WorkStore work) {
    this.storeDb = new Db("(store)", store, true);
    this.work = work;
    for (RuleSettings.DbAlias a : databases.values()) {
      if (a.url().equals(storeUrl) && java.util.Objects.equals(a.user(), storeUser)) {
        aliases.put(a.alias(), new Db(a.alias(), store, true));
      } else {
        Database d = Database.open(a.url(), a.user(), a.password(), "rules-" + a.alias(), 4);
        opened.add(d);
        aliases.put(a.alias(), new Db(a.alias(), d.dataSource(), false));
      }
    }
  }

  /** The database of an alias. */
  Db db(String alias) throws PermanentException {
    Db d = aliases.get(alias);
    if (d == null) {
      throw new PermanentException(
          "database alias '" + alias + "' is not configured (rules.db." + alias + ".url)");
    }
    return d;
  }

  Db store() {
    return storeDb;
  }

  /** The database {@code target}'s records and state go to. */
  Db dbOf(Target target) throws PermanentException {
    return target instanceof Target.Db d ? db(d.alias()) : storeDb;
  }

  /**
   * Runs {@code body} in one transaction on the target's database and finishes {@code item} (may be
   * null) with it, as described in the class comment.
   */
  <T> T run(Target target, WorkItem item, Body<T> body) throws Exception {
    Db db = dbOf(target);
    T result;
    try (Connection c = db.dataSource().getConnection()) {
      if (!db.store()) {
        ensureStateTable(db, c);
      }
      c.setAutoCommit(false);
      Unit unit = new Unit(c, db, target);
      try {
        result = body.run(unit);
        unit.flush();
        if (db.store() && item != null) {
          WorkStore.done(c, item.id());
        }
        c.commit();
      } catch (Exception | Error e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        unit.closeFile();
        c.setAutoCommit(true);
      }
    }
    if (!db.store() && item != null) {
      work.done(item.id());
    }
    return result;
  }

  /** Other databases get a {@code rule_state} table like the store's on first use. */
  private void ensureStateTable(Db db, Connection c) throws SQLException {
    if (stateTableReady.contains(db.alias())) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "CREATE TABLE IF NOT EXISTS rule_state (rule_id text NOT NULL, action_name text NOT"
                + " NULL, target text NOT NULL, state text NOT NULL, updated_at timestamptz NOT"
                + " NULL DEFAULT now(), PRIMARY KEY (rule_id, target))")) {
      ps.execute();
    }
    stateTableReady.add(db.alias());
  }

  @Override
  public void close() {
    for (Database d : opened) {
      d.close();
    }
  }

  /** One transaction of {@link #run}. */
  static final class Unit {
    private final Connection c;
    private final Db db;
    private final Target target;
    private PreparedStatement insert;
    private int pendingInserts;
    private long records;
    private FileChannel file;
    private Path filePath;

    Unit(Connection c, Db db, Target target) {
      this.c = c;
      this.db = db;
      this.target = target;
    }

    /** The open connection (the target's database). */
    Connection connection() {
      return c;
    }

    /** Whether this transaction is on the provenance store. */
    boolean onStore() {
      return db.store();
    }

    /** Records emitted so far. */
    long records() {
      return records;
    }

    /**
     * The state of (rule, key), locked until the end of the transaction so that two runs of one
     * action never interleave; null when there is none yet.
     */
    String state(String ruleId, String actionName, String key) throws SQLException {
      return lockedState(c, ruleId, actionName, key);
    }

    /** Sets the state of (rule, key), committed with the records. */
    void setState(String ruleId, String actionName, String key, String value) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE rule_state SET state = ?, action_name = ?, updated_at = now()"
                  + " WHERE rule_id = ? AND target = ?")) {
        ps.setString(1, value);
        ps.setString(2, actionName);
        ps.setString(3, ruleId);
        ps.setString(4, stateKey(key));
        if (ps.executeUpdate() != 1) {
          throw new IllegalStateException("state row vanished for " + ruleId + " " + key);
        }
      }
    }

    /** Emits one record: values in the order of the target's columns. */
    void emit(List<String> values) throws SQLException, IOException, PermanentException {
      if (target instanceof Target.Db d) {
        if (values.size() != d.columns().size()) {
          throw new PermanentException(
              "the action makes "
                  + values.size()
                  + " values but USING "
                  + d.table()
                  + " names "
                  + d.columns().size()
                  + " columns "
                  + d.columns());
        }
        if (insert == null) {
          try {
            insert = c.prepareStatement(Sql.insert(d.table(), d.columns()));
          } catch (IllegalArgumentException e) {
            throw new PermanentException(e.getMessage(), e);
          }
        }
        for (int i = 0; i < values.size(); i++) {
          String v = values.get(i);
          // Unspecified type: PostgreSQL casts the text to the column's type (integer,
          // timestamptz).
          if (v == null || v.isEmpty()) {
            insert.setNull(i + 1, Types.OTHER);
          } else {
            insert.setObject(i + 1, v, Types.OTHER);
          }
        }
        insert.addBatch();
        if (++pendingInserts >= INSERT_BATCH) {
          insert.executeBatch();
          pendingInserts = 0;
        }
      } else if (target instanceof Target.File f) {
        openFile(f);
        byte[] line = (csvLine(values) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) {
          file.write(b);
        }
      } else {
        throw new IllegalStateException("no target to emit to");
      }
      records++;
    }

    /**
     * Emits a record of named values: into a database, each column takes the value whose name
     * matches it (case and underscores ignored; {@code aliases} maps other accepted column names);
     * into a file, the values of {@code fileOrder}.
     */
    void emitNamed(Map<String, String> values, Map<String, String> aliases, List<String> fileOrder)
        throws SQLException, IOException, PermanentException {
      if (target instanceof Target.Db d) {
        List<String> row = new ArrayList<>();
        for (String col : d.columns()) {
          String key = normal(col);
          String name = aliases.getOrDefault(key, key);
          if (!values.containsKey(name)) {
            throw new PermanentException(
                "column '"
                    + col
                    + "' of "
                    + d.table()
                    + " is not a value of this action; it has "
                    + values.keySet()
                    + " (also accepted: "
                    + aliases.keySet()
                    + ")");
          }
          row.add(values.get(name));
        }
        emit(row);
      } else {
        List<String> row = new ArrayList<>();
        for (String n : fileOrder) {
          row.add(values.get(n));
        }
        emit(row);
      }
    }

    static String normal(String column) {
      return column.replace("_", "").toLowerCase(Locale.ROOT);
    }

    private void openFile(Target.File f) throws SQLException, IOException {
      if (file != null) {
        return;
      }
      filePath = Path.of(f.path()).toAbsolutePath().normalize();
      if (!db.store()) {
        throw new IllegalStateException("file targets keep their state in the store");
      }
      String recorded = lockedState(c, FILE_STATE, "FILE", filePath.toString());
      Path parent = filePath.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      file =
          FileChannel.open(
              filePath,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.READ);
      long size = file.size();
      if (recorded != null) {
        long committed = Long.parseLong(recorded);
        if (size > committed) {
          // Written by a transaction that did not commit: undo it before appending.
          LOG.warn(
              "{}: cutting {} bytes of an uncommitted earlier append", filePath, size - committed);
          file.truncate(committed);
        }
      }
      file.position(file.size());
    }

    /** Sends pending inserts; makes file appends durable and records the file's new size. */
    void flush() throws SQLException, IOException {
      if (insert != null && pendingInserts > 0) {
        insert.executeBatch();
        pendingInserts = 0;
      }
      if (file != null) {
        file.force(true);
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE rule_state SET state = ?, updated_at = now() WHERE rule_id = ? AND"
                    + " target = ?")) {
          ps.setString(1, Long.toString(file.size()));
          ps.setString(2, FILE_STATE);
          ps.setString(3, stateKey(filePath.toString()));
          ps.executeUpdate();
        }
      }
    }

    void closeFile() {
      if (insert != null) {
        try {
          insert.close();
        } catch (SQLException ignored) {
          // closing with the connection anyway
        }
      }
      if (file != null) {
        try {
          file.close();
        } catch (IOException e) {
          LOG.debug("closing {}: {}", filePath, e.toString());
        }
      }
    }
  }

  /**
   * Locks the state row of (rule, key), creating it empty when missing, and returns its state (null
   * when empty).
   */
  static String lockedState(Connection c, String ruleId, String actionName, String key)
      throws SQLException {
    String target = stateKey(key);
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO rule_state (rule_id, action_name, target, state) VALUES (?, ?, ?, '')"
                + " ON CONFLICT (rule_id, target) DO NOTHING")) {
      ins.setString(1, ruleId);
      ins.setString(2, actionName);
      ins.setString(3, target);
      ins.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state FROM rule_state WHERE rule_id = ? AND target = ? FOR UPDATE")) {
      ps.setString(1, ruleId);
      ps.setString(2, target);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        String s = rs.getString(1);
        return s.isEmpty() ? null : s;
      }
    }
  }

  /**
   * The {@code rule_state.target} of a state key: its {@link PathKey}, which is the key itself
   * unless it is over 2,048 bytes. Keys name files ({@code logload:<path>}, a file target's path),
   * and the primary key (rule_id, target) is a B-tree whose entries hold about 2,700 bytes at most:
   * a key of a long path would fail its work item. Done in Java because other databases' state
   * tables have no {@code path_key}.
   */
  static String stateKey(String key) {
    return PathKey.of(key);
  }

  /** Values joined by commas; a value with a comma, quote or line break is quoted, CSV style. */
  static String csvLine(List<String> values) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String v = values.get(i) == null ? "" : values.get(i);
      if (v.indexOf(',') >= 0
          || v.indexOf('"') >= 0
          || v.indexOf('\n') >= 0
          || v.indexOf('\r') >= 0) {
        out.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        out.append(v);
      }
    }
    return out.toString();
  }
}
