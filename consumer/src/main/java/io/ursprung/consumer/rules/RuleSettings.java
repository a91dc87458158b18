package io.ursprung.consumer.rules;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigDef;
import io.ursprung.config.ConfigException;
import io.ursprung.config.Validators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rule engine's configuration keys (declared into the consumer's {@code ConfigDef}) and their
 * values.
 *
 * @param rulesFile the rules file, or null when the consumer runs without rules
 * @param databases database aliases usable in {@code INTO DB alias} and {@code FROM alias}
 * @param trackRepository the git repository of {@code TRACK} actions without {@code AT}
 * @param provdSecretFile the shared secret of the provd control ports
 * @param provdPort provd's control port on hosts without an entry in {@code provdHosts}
 * @param provdHosts event host to provd address ({@code host[:port]})
 * @param queueCapacity bounded in-memory queue per action kind
 * @param captureThreads concurrent CAPTURESOUT captures (each holds a thread while its process
 *     runs)
 * @param lease how long a claimed work item stays with this consumer without being renewed
 * @param poll how often the work table is read when nothing woke the dispatcher
 * @param maxAttempts attempts before a failing work item is parked as {@code failed}
 * @param retention how long finished work items are kept (so re-delivered batches find them)
 */
public record RuleSettings(
    Path rulesFile,
    Map<String, DbAlias> databases,
    Path trackRepository,
    Path provdSecretFile,
    int provdPort,
    Map<String, String> provdHosts,
    int queueCapacity,
    int captureThreads,
    Duration lease,
    Duration poll,
    int maxAttempts,
    Duration retention) {

  /** A database alias from {@code rules.db.<alias>.url/user/password}. */
  public record DbAlias(String alias, String url, String user, String password) {
    @Override
    public String toString() {
      return alias + "=" + url + " as " + user;
    }
  }

  public static final String FILE = "rules.file";
  public static final String DB_PREFIX = "rules.db.";
  public static final String TRACK_REPOSITORY = "rules.track.repository";
  public static final String PROVD_SECRET = "rules.provd.secret.file";
  public static final String PROVD_PORT = "rules.provd.port";
  public static final String PROVD_HOST_PREFIX = "rules.provd.host.";
  public static final String QUEUE = "rules.queue.capacity";
  public static final String CAPTURE_THREADS = "rules.capture.threads";
  public static final String LEASE = "rules.work.lease.ms";
  public static final String POLL = "rules.work.poll.ms";
  public static final String ATTEMPTS = "rules.work.max.attempts";
  public static final String RETENTION = "rules.work.retention.hours";

  /** Adds the rule engine's keys to {@code def} and returns it. */
  public static ConfigDef declare(ConfigDef def) {
    return def.define(
            FILE,
            ConfigDef.Type.STRING,
            "",
            Validators.any(),
            "Rules file (docs/rules.md). Empty: no rules. Reloaded on SIGHUP and when the file"
                + " changes; a bad file keeps the rules in force.")
        .definePassThrough(
            DB_PREFIX,
            "Database aliases for rules: rules.db.<alias>.url (a PostgreSQL JDBC URL),"
                + " rules.db.<alias>.user, rules.db.<alias>.password. Rule files name the alias"
                + " only (INTO DB <alias>, DBTRANSFER ... FROM <alias>).")
        // Checked with the other keys, so every problem is listed at once.
        .checkPassThrough(DB_PREFIX, RuleSettings::databaseProblems)
        .define(
            TRACK_REPOSITORY,
            ConfigDef.Type.STRING,
            "/var/lib/ursprung/track",
            Validators.nonBlank(),
            "Git repository of TRACK actions without AT; created (bare) when missing.")
        .define(
            PROVD_SECRET,
            ConfigDef.Type.STRING,
            "/etc/ursprung/provd.secret",
            Validators.nonBlank(),
            "Shared secret of the provd control ports, for CAPTURESOUT (mode 0600 or 0400).")
        .define(
            PROVD_PORT,
            ConfigDef.Type.INT,
            7531,
            Validators.between(1, 65535),
            "provd control port on hosts without a rules.provd.host.<host> entry.")
        .definePassThrough(
            PROVD_HOST_PREFIX,
            "provd address of an event host for CAPTURESOUT: rules.provd.host.<host>=addr[:port]."
                + " Default: the event's host name and rules.provd.port.")
        .define(
            QUEUE,
            ConfigDef.Type.INT,
            256,
            Validators.between(1, 100_000),
            "Work items held in memory per action kind; the rest wait in the rule_work table.")
        .define(
            CAPTURE_THREADS,
            ConfigDef.Type.INT,
            16,
            Validators.between(1, 1000),
            "Concurrent CAPTURESOUT captures; each holds a thread while its process runs.")
        .define(
            LEASE,
            ConfigDef.Type.LONG,
            60_000L,
            Validators.between(1000, 3_600_000),
            "A claimed work item returns to the pool when its consumer has not renewed the claim"
                + " for this long (a crashed consumer's work is taken over).")
        .define(
            POLL,
            ConfigDef.Type.LONG,
            1000L,
            Validators.between(10, 600_000),
            "How often the rule_work table is read for due work (new work wakes it at once).")
        .define(
            ATTEMPTS,
            ConfigDef.Type.INT,
            10,
            Validators.between(1, 1000),
            "Attempts (with exponential backoff up to 10 minutes) before a failing work item is"
                + " parked as failed in rule_work.")
        .define(
            RETENTION,
            ConfigDef.Type.LONG,
            168L,
            Validators.between(1, 87_600),
            "Hours finished work items are kept, so a batch Kafka delivers again is not redone.");
  }

  /** Reads the values from a configuration parsed with {@link #declare}d keys. */
  public static RuleSettings from(Config c) {
    String file = c.getString(FILE);
    Map<String, String> raw = c.passThrough(DB_PREFIX);
    // A configuration parsed with declare()'s check has none of these; one parsed otherwise still
    // gets every problem of every alias in one exception.
    List<String> problems = databaseProblems(raw);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    Map<String, DbAlias> dbs = new LinkedHashMap<>();
    for (String a : aliases(raw)) {
      String url = raw.get(a + ".url");
      String password = raw.get(a + ".password");
      dbs.put(
          a,
          new DbAlias(
              a,
              url,
              raw.getOrDefault(a + ".user", "ursprung"),
              password == null || password.isEmpty() ? null : password));
    }
    return new RuleSettings(
        file.isBlank() ? null : Path.of(file),
        dbs,
        Path.of(c.getString(TRACK_REPOSITORY)),
        Path.of(c.getString(PROVD_SECRET)),
        c.getInt(PROVD_PORT),
        c.passThrough(PROVD_HOST_PREFIX),
        c.getInt(QUEUE),
        c.getInt(CAPTURE_THREADS),
        Duration.ofMillis(c.getLong(LEASE)),
        Duration.ofMillis(c.getLong(POLL)),
        c.getInt(ATTEMPTS),
        Duration.ofHours(c.getLong(RETENTION)));
  }

  /** The aliases named by well-formed {@code rules.db.<alias>.<field>} keys ({@code raw}). */
  private static Set<String> aliases(Map<String, String> raw) {
    Set<String> aliases = new TreeSet<>();
    for (String k : raw.keySet()) {
      int dot = k.lastIndexOf('.');
      if (dot > 0 && ALIAS_FIELDS.contains(k.substring(dot + 1))) {
        aliases.add(k.substring(0, dot));
      }
    }
    return aliases;
  }

  private static final Set<String> ALIAS_FIELDS = Set.of("url", "user", "password");

  /**
   * Every problem of the {@code rules.db.*} keys ({@code raw}, without the prefix), of every alias:
   * a key that is not {@code <alias>.url/.user/.password}, and an alias without a PostgreSQL JDBC
   * URL.
   */
  static List<String> databaseProblems(Map<String, String> raw) {
    List<String> problems = new ArrayList<>();
    for (String k : new TreeSet<>(raw.keySet())) {
      int dot = k.lastIndexOf('.');
      if (dot <= 0 || !ALIAS_FIELDS.contains(k.substring(dot + 1))) {
        problems.add(DB_PREFIX + k + ": expected " + DB_PREFIX + "<alias>.url, .user or .password");
      }
    }
    for (String a : aliases(raw)) {
      String url = raw.get(a + ".url");
      if (url == null) {
        problems.add(DB_PREFIX + a + ".url: is required for alias '" + a + "'");
      } else if (!url.startsWith("jdbc:postgresql:")) {
        // Not echoed: a JDBC URL may carry a password.
        problems.add(DB_PREFIX + a + ".url: must be a PostgreSQL JDBC URL (jdbc:postgresql:...)");
      }
    }
    return problems;
  }

  /** Settings for tests and embedding: the given file and aliases, defaults otherwise. */
  public static RuleSettings of(Path rulesFile, Map<String, DbAlias> databases, Path repository) {
    return new RuleSettings(
        rulesFile,
        Map.copyOf(databases),
        repository,
        Path.of("/etc/ursprung/provd.secret"),
        7531,
        Map.of(),
        256,
        16,
        Duration.ofSeconds(60),
        Duration.ofMillis(200),
        10,
        Duration.ofHours(168));
  }

  /** A copy with other provd settings. */
  public RuleSettings withProvd(Path secretFile, int port, Map<String, String> hosts) {
    return new RuleSettings(
        rulesFile,
        databases,
        trackRepository,
        secretFile,
        port,
        Map.copyOf(hosts),
        queueCapacity,
        captureThreads,
        lease,
        poll,
        maxAttempts,
        retention);
  }
}
