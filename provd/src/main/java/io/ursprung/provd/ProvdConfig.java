package io.ursprung.provd;

import io.ursprung.config.ConfigDef;
import io.ursprung.config.ConfigDef.Type;
import io.ursprung.config.LocalHost;
import io.ursprung.config.Validator;
import io.ursprung.config.Validators;
import io.ursprung.provd.control.SecretFile;
import io.ursprung.provd.fanotify.FanotifyWatcher;
import java.nio.file.Path;
import java.util.List;

/**
 * provd's configuration keys, declared once. Reference: {@code ursprung provd --config-keys} and
 * {@code docs/provd.md}.
 */
public final class ProvdConfig {
  private ProvdConfig() {}

  public static final String HOST = "provd.host";
  public static final String CONTROL_ADDRESS = "provd.control.address";
  public static final String CONTROL_PORT = "provd.control.port";
  public static final String SECRET_FILE = "provd.control.secret.file";
  public static final String CLOCK_SKEW = "provd.control.clock.skew.ms";
  public static final String MAX_CONNECTIONS = "provd.control.max.connections";
  public static final String MAX_TRACEES = "provd.capture.max.tracees";
  public static final String MAX_FOLLOWS = "provd.capture.max.follows";
  public static final String MAX_TRACER_CPU = "provd.capture.max.tracer.cpu.percent";
  public static final String CPU_WINDOW = "provd.capture.cpu.window.seconds";
  public static final String MAX_LINE = "provd.capture.max.line.bytes";
  public static final String FILE_POLL = "provd.capture.file.poll.ms";
  public static final String FAN_MOUNTS = "provd.fanotify.mounts";
  public static final String FAN_EVENTS = "provd.fanotify.events";
  public static final String FAN_TOPIC = "provd.fanotify.topic";
  public static final String FAN_CLUSTER = "provd.fanotify.cluster.name";
  public static final String SPOOL_ENABLED = "provd.spool.enabled";
  public static final String SPOOL_DIR = "provd.spool.dir";
  public static final String SPOOL_TRUSTED = "provd.spool.trusted.users";
  public static final String SPOOL_RESCAN = "provd.spool.rescan.ms";
  public static final String JOBS_TOPIC = "provd.jobs.topic";
  public static final String METRICS_INTERVAL = "provd.metrics.interval.seconds";
  public static final String BOOTSTRAP = "kafka.bootstrap.servers";
  public static final String KAFKA_PREFIX = "kafka.";

  /** Every key of provd. */
  public static final ConfigDef DEF =
      new ConfigDef()
          .define(
              HOST,
              Type.STRING,
              ProvdConfig::localHostName,
              "(local host name)",
              Validators.hostName(),
              "This node's name: nodeName of file events and the Kafka key of everything provd"
                  + " publishes. Must match the host name the auditd plugin uses.")
          .define(
              CONTROL_ADDRESS,
              Type.STRING,
              "0.0.0.0",
              Validators.nonBlank(),
              "Address the control port listens on (the consumers on the master connect to it).")
          .define(
              CONTROL_PORT,
              Type.INT,
              7531,
              Validators.between(0, 65535),
              "Control port (0 picks a free port, for tests).")
          .define(
              SECRET_FILE,
              Type.PATH,
              "/etc/ursprung/provd.secret",
              secretFile(),
              "File holding the shared secret of the control port (at least 16 bytes); must be"
                  + " mode 0600 or 0400, provd refuses to start otherwise.")
          .define(
              CLOCK_SKEW,
              Type.LONG,
              30_000L,
              Validators.between(1000, 600_000),
              "How far a request's timestamp may be from this host's clock; nonces are"
                  + " remembered this long to refuse replays.")
          .define(
              MAX_CONNECTIONS,
              Type.INT,
              32,
              Validators.between(1, 10_000),
              "Concurrent control connections (each running capture holds one).")
          .define(
              MAX_TRACEES,
              Type.INT,
              4,
              Validators.between(0, 1024),
              "Concurrent ptrace captures. Tracing stops the process twice per system call, so"
                  + " keep this small; requests over it are refused with a reason.")
          .define(
              MAX_FOLLOWS,
              Type.INT,
              64,
              Validators.between(0, 100_000),
              "Concurrent captures of processes whose stdout is a file (followed, not traced).")
          .define(
              MAX_TRACER_CPU,
              Type.DOUBLE,
              50.0,
              positive(),
              "CPU a tracer may use, percent of one core over the CPU window; a tracer above it"
                  + " detaches (its requesters are told why), and new ptrace captures are refused"
                  + " while all tracers together are above it.")
          .define(
              CPU_WINDOW,
              Type.INT,
              10,
              Validators.between(1, 3600),
              "Averaging window of the CPU guard, seconds.")
          .define(
              MAX_LINE,
              Type.BYTES,
              "64KiB",
              Validators.between(80, 16 << 20),
              "Longest captured line; longer lines are cut.")
          .define(
              FILE_POLL,
              Type.LONG,
              100L,
              Validators.between(10, 60_000),
              "How often a followed stdout file is checked for new output, milliseconds.")
          .define(
              FAN_MOUNTS,
              Type.LIST,
              "",
              absolutePaths(),
              "Mount points (or directories) whose file events are reported through fanotify,"
                  + " comma-separated; empty disables file events. Needs CAP_SYS_ADMIN.")
          .define(
              FAN_EVENTS,
              Type.LIST,
              "open,close_write,close_nowrite,modify,create,delete,move",
              eventNames(),
              "Which file events to report: "
                  + String.join(", ", FanotifyWatcher.EVENT_NAMES.keySet())
                  + ". create, delete and move need Linux 5.9+.")
          .define(
              FAN_TOPIC,
              Type.STRING,
              "gpfs",
              Validators.kafkaTopic(),
              "Kafka topic of file events (mmwatch JSON shape, shared with Spectrum Scale).")
          .define(
              FAN_CLUSTER,
              Type.STRING,
              "",
              Validators.any(),
              "clusterName of file events; empty means the host name.")
          .define(
              SPOOL_ENABLED,
              Type.BOOLEAN,
              true,
              Validators.any(),
              "Whether to upload job records from the spool directory.")
          .define(
              SPOOL_DIR,
              Type.PATH,
              "/var/spool/ursprung/jobs",
              Validators.any(),
              "Spool directory of job records (mode 1733; created when missing).")
          .define(
              SPOOL_TRUSTED,
              Type.LIST,
              "",
              Validators.any(),
              "Accounts whose record files may name any user (the resource manager's"
                  + " prolog/epilog user, such as root or slurm); empty: every record must be"
                  + " owned by the user it names.")
          .define(
              SPOOL_RESCAN,
              Type.LONG,
              5000L,
              Validators.between(100, 3_600_000),
              "Rescan interval of the spool (new files are also noticed at once), milliseconds;"
                  + " unacknowledged records are retried at this pace.")
          .define(
              JOBS_TOPIC,
              Type.STRING,
              "jobs",
              Validators.kafkaTopic(),
              "Kafka topic of job events.")
          .define(
              METRICS_INTERVAL,
              Type.LONG,
              60L,
              Validators.atLeast(1),
              "Seconds between two metrics lines in the log.")
          .define(
              BOOTSTRAP,
              Type.LIST,
              "localhost:9092",
              Validators.hostPortList(),
              "Kafka brokers, comma-separated host:port.")
          .definePassThrough(
              KAFKA_PREFIX,
              "Any Kafka producer property with this prefix, passed through (for example"
                  + " kafka.security.protocol, kafka.sasl.mechanism); overrides provd's defaults.");

  private static Object localHostName() {
    return LocalHost.name()
        .orElseThrow(
            () -> new IllegalStateException("cannot determine the host name; set " + HOST));
  }

  private static Validator secretFile() {
    return value -> {
      try {
        SecretFile.read((Path) value);
        return null;
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    };
  }

  private static Validator positive() {
    return value -> ((Number) value).doubleValue() > 0 ? null : "must be positive, got " + value;
  }

  private static Validator absolutePaths() {
    return value -> {
      for (Object o : (List<?>) value) {
        if (!o.toString().startsWith("/")) {
          return "entries must be absolute paths, got '" + o + "'";
        }
      }
      return null;
    };
  }

  private static Validator eventNames() {
    return value -> {
      for (Object o : (List<?>) value) {
        if (!FanotifyWatcher.EVENT_NAMES.containsKey(o.toString())) {
          return "unknown event '"
              + o
              + "'; known: "
              + String.join(", ", FanotifyWatcher.EVENT_NAMES.keySet());
        }
      }
      return null;
    };
  }
}
