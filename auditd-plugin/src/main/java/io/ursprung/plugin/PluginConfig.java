package io.ursprung.plugin;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigDef;
import io.ursprung.config.ConfigDef.Type;
import io.ursprung.config.LocalHost;
import io.ursprung.config.Validators;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The plugin's configuration keys, declared once; {@link Settings} is the typed view the program
 * uses. Reference table: {@code ursprung plugin --config-keys} and {@code docs/auditd-plugin.md}.
 */
public final class PluginConfig {
  private PluginConfig() {}

  public static final String BOOTSTRAP = "kafka.bootstrap.servers";
  public static final String TOPIC = "plugin.topic";
  public static final String HOST = "plugin.host";
  public static final String EVENT_TIMEOUT = "plugin.event.timeout.ms";
  public static final String RAW_SYSCALLS = "plugin.emit.raw.syscalls";
  public static final String SPOOL_DIR = "plugin.spool.dir";
  public static final String SPOOL_MAX = "plugin.spool.max.bytes";
  public static final String STATS_INTERVAL = "plugin.stats.interval.seconds";
  public static final String STATUS_INTERVAL = "plugin.host.status.interval.seconds";
  public static final String QUEUE_MAX = "plugin.input.queue.max.bytes";
  public static final String QUEUE_WAIT = "plugin.input.queue.max.wait.ms";
  public static final String PROC_BOOTSTRAP = "plugin.bootstrap";
  public static final String PROC_BOOTSTRAP_MIN_UID = "plugin.bootstrap.min.uid";
  public static final String STATE_FILE = "plugin.state.file";
  public static final String KAFKA_PREFIX = "kafka.";

  /** Every key of the plugin. */
  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              BOOTSTRAP,
              Type.LIST,
              "localhost:9092",
              Validators.hostPortList(),
              "Kafka brokers, comma-separated host:port.")
          .define(
              TOPIC,
              Type.STRING,
              "auditd",
              Validators.kafkaTopic(),
              "Kafka topic of the provenance events.")
          .define(
              HOST,
              Type.STRING,
              PluginConfig::localHostName,
              "(local host name)",
              Validators.hostName(),
              "Host name for records without node=; audit's node= wins when present.")
          .define(
              EVENT_TIMEOUT,
              Type.LONG,
              2000L,
              Validators.between(1, 600_000),
              "An audit event whose EOE record never arrives is completed this long after its"
                  + " last record (audit.log replays have no EOE).")
          .define(
              RAW_SYSCALLS,
              Type.BOOLEAN,
              false,
              Validators.any(),
              "Also emit every syscall as a raw event (large; for debugging the OS model).")
          .define(
              SPOOL_DIR,
              Type.PATH,
              "/var/spool/ursprung/plugin",
              Validators.any(),
              "Where events wait on disk while Kafka is unreachable.")
          .define(
              SPOOL_MAX,
              Type.BYTES,
              "1GiB",
              Validators.atLeast(1 << 20),
              "Bound of the spool; events beyond it are counted as dropped.")
          .define(
              STATS_INTERVAL,
              Type.LONG,
              60L,
              Validators.atLeast(1),
              "Seconds between two counter lines in the log (also logged at exit).")
          .define(
              STATUS_INTERVAL,
              Type.LONG,
              30L,
              Validators.between(0, 86_400),
              "Seconds between two host.status events (kernel audit status and the plugin's"
                  + " counters, shown on the GUI dashboard); 0: none. Only when reading auditd's"
                  + " stream, never in a replay (--input), whose host is not this one.")
          .define(
              QUEUE_MAX,
              Type.BYTES,
              "16MiB",
              Validators.atLeast(1 << 20),
              "Bound of the in-memory queue between the stdin reader and the processing thread"
                  + " (16 MiB holds about 75,000 audit records of burst; more only costs heap).")
          .define(
              QUEUE_WAIT,
              Type.LONG,
              200L,
              Validators.between(0, 60_000),
              "How long the stdin reader waits for room in a full queue before it drops input"
                  + " (counted) rather than stop reading, which would make auditd drop events"
                  + " silently. File replays never drop.")
          .define(
              PROC_BOOTSTRAP,
              Type.BOOLEAN,
              true,
              Validators.any(),
              "At start, read the processes already running (and the files they have open) from"
                  + " /proc, so that a file they were writing gets its version when they close"
                  + " it. Only when reading auditd's stream, never in a replay (--input).")
          .define(
              PROC_BOOTSTRAP_MIN_UID,
              Type.LONG,
              1000L,
              Validators.between(0, 4_294_967_294L),
              "Lowest real uid of the processes read from /proc at start (the shipped rules audit"
                  + " uid >= 1000); 0: all.")
          .define(
              STATE_FILE,
              Type.STRING,
              "/var/lib/ursprung/auditd-plugin.state",
              Validators.any(),
              "Where the plugin keeps the identities of the processes it knows (saved every"
                  + " stats interval and at exit), so that after a restart a process learnt from"
                  + " its clone record keeps its identity instead of getting a second one from"
                  + " /proc; empty: off. Only when reading auditd's stream with plugin.bootstrap.")
          .definePassThrough(
              KAFKA_PREFIX,
              "Any Kafka producer property with this prefix, passed through (for example"
                  + " kafka.security.protocol, kafka.sasl.mechanism, kafka.ssl.truststore.location);"
                  + " overrides the plugin's producer defaults.");

  /**
   * Typed settings.
   *
   * @param bootstrapServers Kafka brokers
   * @param topic Kafka topic
   * @param host fallback host name
   * @param eventTimeoutMillis audit event completion time-out
   * @param emitRawSyscalls whether raw syscall events are emitted
   * @param spoolDir spool directory
   * @param spoolMaxBytes spool bound
   * @param statsIntervalSeconds stats log interval
   * @param statusIntervalSeconds host.status event interval, 0 for none
   * @param queueMaxBytes input queue bound
   * @param queueMaxWaitMillis stdin reader's wait before dropping
   * @param procBootstrap whether running processes are read from /proc at start
   * @param procBootstrapMinUid lowest real uid of the processes read from /proc
   * @param stateFile where process identities are kept across restarts, null when off
   * @param kafka pass-through Kafka properties, prefix removed
   */
  public record Settings(
      List<String> bootstrapServers,
      String topic,
      String host,
      long eventTimeoutMillis,
      boolean emitRawSyscalls,
      Path spoolDir,
      long spoolMaxBytes,
      long statsIntervalSeconds,
      long statusIntervalSeconds,
      long queueMaxBytes,
      long queueMaxWaitMillis,
      boolean procBootstrap,
      long procBootstrapMinUid,
      Path stateFile,
      Map<String, String> kafka) {

    /** The typed view of a parsed configuration. */
    public static Settings of(Config c) {
      return new Settings(
          c.getList(BOOTSTRAP),
          c.getString(TOPIC),
          c.getString(HOST),
          c.getLong(EVENT_TIMEOUT),
          c.getBoolean(RAW_SYSCALLS),
          c.getPath(SPOOL_DIR),
          c.getLong(SPOOL_MAX),
          c.getLong(STATS_INTERVAL),
          c.getLong(STATUS_INTERVAL),
          c.getLong(QUEUE_MAX),
          c.getLong(QUEUE_WAIT),
          c.getBoolean(PROC_BOOTSTRAP),
          c.getLong(PROC_BOOTSTRAP_MIN_UID),
          c.getString(STATE_FILE).isBlank() ? null : Path.of(c.getString(STATE_FILE).trim()),
          Map.copyOf(c.passThrough(KAFKA_PREFIX)));
    }

    /** Whether the Kafka sink must be rebuilt to apply {@code other}. */
    public boolean sinkDiffers(Settings other) {
      return !bootstrapServers.equals(other.bootstrapServers)
          || !topic.equals(other.topic)
          || !kafka.equals(other.kafka)
          || !spoolDir.equals(other.spoolDir)
          || spoolMaxBytes != other.spoolMaxBytes;
    }

    /** Whether applying {@code other} needs a new audit processor (a restart). */
    public boolean processorDiffers(Settings other) {
      return !host.equals(other.host)
          || eventTimeoutMillis != other.eventTimeoutMillis
          || emitRawSyscalls != other.emitRawSyscalls
          || queueMaxBytes != other.queueMaxBytes
          || queueMaxWaitMillis != other.queueMaxWaitMillis
          || procBootstrap != other.procBootstrap
          || procBootstrapMinUid != other.procBootstrapMinUid
          || !java.util.Objects.equals(stateFile, other.stateFile);
    }
  }

  /**
   * The kernel's host name (what auditd's {@code name_format = hostname} writes), falling back to
   * Java's resolver only when /proc is not there.
   */
  static Object localHostName() {
    return LocalHost.name()
        .orElseThrow(
            () -> new IllegalStateException("cannot determine the local host name; set " + HOST));
  }
}
