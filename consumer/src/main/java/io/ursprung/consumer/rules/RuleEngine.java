package io.ursprung.consumer.rules;

import io.ursprung.consumer.ScaleRecord;
import io.ursprung.db.Database;
import io.ursprung.events.ProvEvent;
import io.ursprung.rules.Action;
import io.ursprung.rules.FieldSpec;
import io.ursprung.rules.Rule;
import io.ursprung.rules.RuleFileException;
import io.ursprung.rules.RuleFileLoader;
import io.ursprung.rules.RuleMatcher;
import io.ursprung.rules.RuleReloader;
import io.ursprung.rules.RuleSet;
import io.ursprung.rules.RuleValidator;
import io.ursprung.rules.fields.EventFields;
import io.ursprung.rules.fields.FieldCatalog;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rules of one rules file inside a consumer (docs/rules.md, "Engine").
 *
 * <ul>
 *   <li>On the ingest path, {@link #hook()} tests each event against the compiled conditions (with
 *       no rules, one volatile read per event) and writes one {@code rule_work} row per matching
 *       action in the batch's transaction.
 *   <li>A dispatcher thread claims due rows into one bounded queue per action kind, woken after
 *       each commit and otherwise every {@code rules.work.poll.ms}; each kind has its own threads.
 *       Ingest never waits for them: a full queue just leaves work in the table.
 *   <li>An action finishes its row in the same transaction as its output and state (see {@link
 *       Outputs}); a failure is retried with backoff and parked as {@code failed} after {@code
 *       rules.work.max.attempts}; a crashed consumer's claims expire after {@code
 *       rules.work.lease.ms} and another run takes them over.
 *   <li>The rules are reloaded on SIGHUP ({@link #installSignalHandler()}) and when the file
 *       changes; a bad file keeps the rules in force. Work of a rule no longer in the file is
 *       cancelled when it comes up.
 * </ul>
 */
public final class RuleEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RuleEngine.class);

  /** Action kinds and their threads (CAPTURESOUT's come from the settings). */
  private static final Map<String, Integer> THREADS =
      Map.of("DBLOAD", 2, "DBTRANSFER", 1, "LOGLOAD", 1, "TRACK", 1, "ALERT", 1);

  private final RuleSettings settings;
  private final RuleReloader reloader;
  private final Database pool;
  private final WorkStore work;
  private final Outputs outputs;
  private final Actions actions;
  private final Map<String, ActionLane> lanes = new LinkedHashMap<>();
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  private final String owner = "consumer-" + UUID.randomUUID();
  private final Object signal = new Object();
  private boolean woken;
  private volatile boolean running = true;
  private final Thread dispatcher;
  private Thread watcher;
  private WatchService watchService;
  private volatile Referenced referenced;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  /** The event fields the actions of a rule set read, beyond the fixed ones of an event kind. */
  private record Referenced(RuleSet rules, Set<String> names) {}

  private RuleEngine(
      RuleSettings settings,
      RuleReloader reloader,
      Database pool,
      String storeUrl,
      String storeUser) {
    this.settings = settings;
    this.reloader = reloader;
    this.pool = pool;
    DataSource store = pool.dataSource();
    this.work = new WorkStore(store);
    this.outputs = new Outputs(store, storeUrl, storeUser, settings.databases(), work);
    this.actions = new Actions(settings, outputs, work);
    for (String kind :
        List.of("DBLOAD", "DBTRANSFER", "LOGLOAD", "TRACK", "CAPTURESOUT", "ALERT")) {
      int threads = kind.equals("CAPTURESOUT") ? settings.captureThreads() : THREADS.get(kind);
      lanes.put(kind, new ActionLane(kind, threads, settings.queueCapacity(), this::runItem));
    }
    this.dispatcher = new Thread(this::dispatch, "rules-dispatcher");
    dispatcher.setDaemon(true);
  }

  /**
   * Loads the rules file and starts the action threads.
   *
   * <p>The engine opens its own small pool to the store, so actions never take connections the
   * ingest path needs.
   *
   * @param storeUrl the store's JDBC URL (aliases with this URL and user use the engine's pool)
   * @param storeUser its user
   * @param storePassword its password, or null
   * @throws RuleFileException when the file is bad: the consumer must not start with it
   */
  public static RuleEngine start(
      RuleSettings settings, String storeUrl, String storeUser, String storePassword)
      throws RuleFileException {
    RuleFileLoader loader =
        new RuleFileLoader(List.of(RuleValidator.databaseAliases(settings.databases().keySet())));
    RuleReloader reloader = RuleReloader.start(settings.rulesFile(), loader);
    Database pool = Database.open(storeUrl, storeUser, storePassword, "rules", 6);
    RuleEngine engine;
    try {
      engine = new RuleEngine(settings, reloader, pool, storeUrl, storeUser);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    engine.lanes.values().forEach(ActionLane::start);
    engine.dispatcher.start();
    engine.watch();
    return engine;
  }

  /** The rules in force. */
  public RuleSet rules() {
    return reloader.current();
  }

  /** A hook for one source handler. */
  public RuleHook hook() {
    return new Batch();
  }

  /**
   * Tests an event that does not come from a consumer batch (tools, tests) against the rules and
   * stores the work of the matching ones in a transaction of its own.
   *
   * @param fields the event's fields as the rule language names them; {@code host} and {@code id}
   *     are required
   * @param graphHost the host of the event's rows in the graph (Scale: the cluster)
   * @param time when the event happened
   * @return the number of work items stored
   */
  public int submit(Map<String, Object> fields, String graphHost, Instant time)
      throws SQLException {
    Batch b = new Batch();
    b.fields(fields, graphHost, time);
    if (!b.hasWork()) {
      return 0;
    }
    try (Connection c = pool.dataSource().getConnection()) {
      WorkStore.insert(c, b.items);
    }
    b.committed();
    return b.items.size();
  }

  /** Re-reads the rules file; the old rules stay when it is bad. */
  public RuleReloader.ReloadResult reload() {
    RuleReloader.ReloadResult r = reloader.reload();
    if (!r.applied()) {
      LOG.warn(
          "rules file {} rejected, {} rules stay in force:\n{}",
          settings.rulesFile(),
          r.current().rules().size(),
          String.join("\n", r.errors().stream().map(Object::toString).toList()));
    } else if (!r.removed().isEmpty()) {
      LOG.info("{} rules removed; their pending work will be cancelled", r.removed().size());
    }
    wake();
    return r;
  }

  /** Reloads the rules on SIGHUP (the consumer's command installs it; tests call reload()). */
  @SuppressWarnings("removal")
  public void installSignalHandler() {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"),
          s -> {
            Thread t = new Thread(this::reload, "rules-sighup");
            t.setDaemon(true);
            t.start();
          });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.warn("cannot reload rules on SIGHUP here ({}); file changes still reload", e.toString());
    }
  }

  /** Work items finished and failed attempts since start (logging and tests). */
  public long finished() {
    return done.get();
  }

  public long failedAttempts() {
    return failures.get();
  }

  /** Items queued or running in this engine. */
  public int busy() {
    return lanes.values().stream().mapToInt(ActionLane::load).sum();
  }

  private void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  // ---- the ingest side -------------------------------------------------------------------------

  /** The names to snapshot for an event kind: its catalog fields and those the actions read. */
  private Set<String> referencedNames(RuleSet rules) {
    Referenced r = referenced;
    if (r != null && r.rules() == rules) {
      return r.names();
    }
    Set<String> names = new LinkedHashSet<>();
    for (Rule rule : rules.rules()) {
      for (Action a : rule.actions()) {
        if (a instanceof Action.DbLoad d) {
          names.add(d.field());
        } else if (a instanceof Action.LogLoad l) {
          names.add(l.field());
          specNames(l.fields(), names);
        } else if (a instanceof Action.CaptureStdout c) {
          specNames(c.fields(), names);
        }
      }
    }
    referenced = new Referenced(rules, names);
    return names;
  }

  private static void specNames(List<FieldSpec> specs, Set<String> names) {
    for (FieldSpec s : specs) {
      if (s instanceof FieldSpec.EventField f) {
        names.add(f.name());
      }
    }
  }

  private Map<String, Object> snapshot(ProvEvent e, EventFields f, RuleSet rules) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (FieldCatalog.Field c : FieldCatalog.common()) {
      put(m, c.name(), f);
    }
    for (FieldCatalog.Field c : FieldCatalog.fieldsOf(e.type())) {
      put(m, c.name(), f);
    }
    for (String n : referencedNames(rules)) {
      put(m, n, f);
    }
    return m;
  }

  private static void put(Map<String, Object> m, String name, EventFields f) {
    Object v = f.get(name);
    if (v != null) {
      m.put(name, v);
    }
  }

  /** The hook of one handler: the work of the current batch. */
  private final class Batch implements RuleHook {
    private final List<WorkItem> items = new ArrayList<>();

    @Override
    public void event(ProvEvent e) {
      RuleMatcher m = reloader.matcher();
      if (m.rules().rules().isEmpty()) {
        return;
      }
      EventFields f = EventFields.of(e);
      List<Rule> hits = m.matching(f);
      if (!hits.isEmpty()) {
        add(hits, e.host(), e.id(), e.host(), e.time(), snapshot(e, f, m.rules()));
      }
    }

    @Override
    public void event(ScaleRecord r) {
      RuleMatcher m = reloader.matcher();
      if (m.rules().rules().isEmpty()) {
        return;
      }
      Map<String, Object> fields = ScaleEventFields.map(r);
      List<Rule> hits = m.matching(EventFields.of(fields));
      if (!hits.isEmpty()) {
        add(hits, r.node(), r.id(), r.cluster(), r.time(), fields);
      }
    }

    void fields(Map<String, Object> fields, String graphHost, Instant time) {
      RuleMatcher m = reloader.matcher();
      Map<String, Object> copy = new LinkedHashMap<>(fields);
      copy.replaceAll((k, v) -> v instanceof Integer i ? Long.valueOf(i) : v);
      List<Rule> hits = m.matching(EventFields.of(copy));
      if (!hits.isEmpty()) {
        add(
            hits,
            String.valueOf(copy.get("host")),
            String.valueOf(copy.get("id")),
            graphHost,
            time,
            copy);
      }
    }

    private void add(
        List<Rule> hits,
        String host,
        String id,
        String graphHost,
        Instant time,
        Map<String, Object> fields) {
      for (Rule rule : hits) {
        for (int i = 0; i < rule.actions().size(); i++) {
          items.add(
              new WorkItem(
                  0,
                  rule.id(),
                  i,
                  rule.actions().get(i).keyword(),
                  host,
                  id,
                  graphHost,
                  time,
                  fields,
                  0));
        }
      }
    }

    @Override
    public boolean hasWork() {
      return !items.isEmpty();
    }

    @Override
    public void write(Connection c) throws SQLException {
      WorkStore.insert(c, items);
    }

    @Override
    public void committed() {
      if (!items.isEmpty()) {
        wake();
      }
    }

    @Override
    public void reset() {
      items.clear();
    }
  }

  // ---- the action side -------------------------------------------------------------------------

  private void dispatch() {
    long lastRenew = System.nanoTime();
    long lastPurge = 0;
    while (running) {
      synchronized (signal) {
        if (!woken) {
          try {
            signal.wait(settings.poll().toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
      if (!running) {
        return;
      }
      try {
        for (ActionLane lane : lanes.values()) {
          int free = lane.free();
          if (free <= 0) {
            continue;
          }
          for (WorkItem item : work.claim(lane.name(), free, owner, settings.lease())) {
            inFlight.add(item.id());
            if (!lane.offer(item)) {
              inFlight.remove(item.id()); // its claim lapses and it comes back
            }
          }
        }
        long now = System.nanoTime();
        if (now - lastRenew > settings.lease().toNanos() / 3) {
          work.renew(owner, List.copyOf(inFlight));
          lastRenew = now;
        }
        if (lastPurge == 0 || now - lastPurge > TimeUnit.HOURS.toNanos(1)) {
          int n = work.purge(settings.retention());
          if (n > 0) {
            LOG.info("purged {} finished rule work items", n);
          }
          lastPurge = now;
        }
      } catch (SQLException | RuntimeException e) {
        LOG.warn("rule work dispatch failed, will retry: {}", e.toString());
      }
    }
  }

  private void runItem(WorkItem item) {
    try {
      Rule rule = reloader.current().rule(item.ruleId()).orElse(null);
      if (rule == null
          || item.actionIndex() >= rule.actions().size()
          || !rule.actions().get(item.actionIndex()).keyword().equals(item.actionName())) {
        work.finish(item.id(), "cancelled", "the rule is no longer in the rules file");
        return;
      }
      actions.run(rule, rule.actions().get(item.actionIndex()), item);
      done.incrementAndGet();
    } catch (PermanentException e) {
      failures.incrementAndGet();
      LOG.warn("{} failed and cannot succeed: {}", item, e.getMessage());
      finishQuietly(item, e.getMessage());
    } catch (Exception e) {
      failures.incrementAndGet();
      String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      try {
        boolean parked = work.failed(item, reason, settings.maxAttempts());
        LOG.warn(
            "{} failed (attempt {}){}: {}",
            item,
            item.attempts() + 1,
            parked ? "; parked as failed" : "; will retry",
            reason);
      } catch (SQLException ex) {
        LOG.warn("{} failed ({}); the store is unreachable too: {}", item, reason, ex.toString());
      }
    } finally {
      inFlight.remove(item.id());
    }
  }

  private void finishQuietly(WorkItem item, String reason) {
    try {
      work.finish(item.id(), "failed", reason);
    } catch (SQLException ex) {
      LOG.warn("cannot park {}: {}", item, ex.toString());
    }
  }

  private void watch() {
    Path file = settings.rulesFile().toAbsolutePath();
    Path dir = file.getParent();
    try {
      watchService = FileSystems.getDefault().newWatchService();
      dir.register(
          watchService,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      LOG.warn("cannot watch {} ({}); reload with SIGHUP", dir, e.toString());
      return;
    }
    watcher =
        new Thread(
            () -> {
              while (running) {
                WatchKey key;
                try {
                  key = watchService.take();
                } catch (InterruptedException | ClosedWatchServiceException e) {
                  return;
                }
                boolean ours = false;
                for (WatchEvent<?> ev : key.pollEvents()) {
                  ours |= file.getFileName().equals(ev.context());
                }
                key.reset();
                if (ours && running) {
                  try {
                    // Editors write in several steps: let the file settle.
                    Thread.sleep(200);
                  } catch (InterruptedException e) {
                    return;
                  }
                  reload();
                }
              }
            },
            "rules-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  @Override
  public void close() {
    running = false;
    wake();
    dispatcher.interrupt();
    if (watchService != null) {
      try {
        watchService.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    actions.close(); // ends captures, so their threads can stop
    for (ActionLane lane : lanes.values()) {
      lane.stop(5000);
    }
    try {
      work.release(owner);
    } catch (SQLException e) {
      LOG.debug("releasing claims: {}", e.toString());
    }
    outputs.close();
    pool.close();
  }
}
