package io.ursprung.provd;

import io.ursprung.config.Config;
import io.ursprung.events.UrsprungVersion;
import io.ursprung.provd.capture.CaptureLimits;
import io.ursprung.provd.capture.CaptureManager;
import io.ursprung.provd.capture.ProcFs;
import io.ursprung.provd.control.ControlServer;
import io.ursprung.provd.control.ReplayGuard;
import io.ursprung.provd.control.RequestAuth;
import io.ursprung.provd.control.SecretFile;
import io.ursprung.provd.fanotify.FanotifyWatcher;
import io.ursprung.provd.nativeaccess.LinuxNative;
import io.ursprung.provd.nativeaccess.NativeException;
import io.ursprung.provd.spool.JobSpoolUploader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: control port, captures, fanotify, spool uploader and the Kafka producer.
 * {@link #close()} stops them in the order that keeps the promises: captures first (every tracee
 * detached, every requester told), then the control port, then the sources, then Kafka (flushing
 * what was sent).
 */
public final class Provd implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Provd.class);
  static final String PRODUCER_NAME = "ursprung-provd";

  private final CaptureManager captures;
  private final ControlServer control;
  private final FanotifyWatcher fanotify;
  private final JobSpoolUploader spool;
  private final KafkaOut kafka;
  private final ScheduledExecutorService metrics;
  private boolean closed;

  private Provd(
      CaptureManager captures,
      ControlServer control,
      FanotifyWatcher fanotify,
      JobSpoolUploader spool,
      KafkaOut kafka,
      long metricsSeconds) {
    this.captures = captures;
    this.control = control;
    this.fanotify = fanotify;
    this.spool = spool;
    this.kafka = kafka;
    this.metrics =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "provd-metrics");
              t.setDaemon(true);
              return t;
            });
    metrics.scheduleAtFixedRate(
        () -> LOG.info("metrics: {}", metricsLine()),
        metricsSeconds,
        metricsSeconds,
        TimeUnit.SECONDS);
  }

  /**
   * Starts everything the configuration asks for.
   *
   * @throws IOException when the control port cannot be bound or the spool cannot be created
   * @throws NativeException when fanotify is configured but cannot be used
   */
  public static Provd start(Config cfg, LinuxNative nat) throws IOException, NativeException {
    String host = cfg.getString(ProvdConfig.HOST);
    ProcFs proc = new ProcFs();
    if (!nat.available()) {
      LOG.warn("native calls unavailable: ptrace capture and fanotify are off");
    }
    proc.yamaPtraceScope()
        .ifPresent(
            s -> {
              if (s >= 3) {
                LOG.warn(
                    "kernel.yama.ptrace_scope is 3: ptrace is forbidden for everyone until reboot;"
                        + " only processes whose stdout is a file can be captured");
              } else if (s == 2) {
                LOG.info("kernel.yama.ptrace_scope is 2: ptrace needs CAP_SYS_PTRACE (root)");
              }
            });
    CaptureManager captures =
        new CaptureManager(
            nat,
            proc,
            new CaptureLimits(
                cfg.getInt(ProvdConfig.MAX_TRACEES),
                cfg.getInt(ProvdConfig.MAX_FOLLOWS),
                cfg.getDouble(ProvdConfig.MAX_TRACER_CPU),
                cfg.getInt(ProvdConfig.CPU_WINDOW),
                (int) cfg.getLong(ProvdConfig.MAX_LINE),
                cfg.getLong(ProvdConfig.FILE_POLL)));
    List<String> mounts = cfg.getList(ProvdConfig.FAN_MOUNTS);
    boolean spoolOn = cfg.getBoolean(ProvdConfig.SPOOL_ENABLED);
    KafkaOut kafka = null;
    ControlServer control = null;
    FanotifyWatcher fanotify = null;
    JobSpoolUploader spool = null;
    try {
      if (!mounts.isEmpty() || spoolOn) {
        kafka =
            new KafkaOut(
                String.join(",", cfg.getList(ProvdConfig.BOOTSTRAP)),
                cfg.passThrough(ProvdConfig.KAFKA_PREFIX),
                PRODUCER_NAME + "-" + host,
                cfg.getString(ProvdConfig.FAN_TOPIC),
                cfg.getString(ProvdConfig.JOBS_TOPIC));
      }
      control =
          new ControlServer(
              new InetSocketAddress(
                  cfg.getString(ProvdConfig.CONTROL_ADDRESS), cfg.getInt(ProvdConfig.CONTROL_PORT)),
              captures,
              new RequestAuth(SecretFile.read(cfg.getPath(ProvdConfig.SECRET_FILE))),
              new ReplayGuard(cfg.getLong(ProvdConfig.CLOCK_SKEW), 1_000_000),
              cfg.getInt(ProvdConfig.MAX_CONNECTIONS),
              10_000);
      if (!mounts.isEmpty()) {
        String cluster = cfg.getString(ProvdConfig.FAN_CLUSTER);
        fanotify =
            new FanotifyWatcher(
                nat,
                proc,
                mounts.stream().map(Path::of).toList(),
                new LinkedHashSet<>(cfg.getList(ProvdConfig.FAN_EVENTS)),
                host,
                cluster.isBlank() ? host : cluster,
                kafka);
        fanotify.start();
      }
      if (spoolOn) {
        spool =
            new JobSpoolUploader(
                cfg.getPath(ProvdConfig.SPOOL_DIR),
                nat::uidOf,
                trustedUids(nat, cfg.getList(ProvdConfig.SPOOL_TRUSTED)),
                kafka,
                host,
                UrsprungVersion.producer(PRODUCER_NAME),
                cfg.getLong(ProvdConfig.SPOOL_RESCAN));
        spool.start();
      }
    } catch (IOException | NativeException | RuntimeException e) {
      closeAll(captures, control, fanotify, spool, kafka);
      throw e;
    }
    LOG.info("provd {} started on host {}", UrsprungVersion.get(), host);
    return new Provd(
        captures, control, fanotify, spool, kafka, cfg.getLong(ProvdConfig.METRICS_INTERVAL));
  }

  private static Set<Integer> trustedUids(LinuxNative nat, List<String> names) {
    Set<Integer> out = new HashSet<>();
    for (String n : names) {
      try {
        OptionalInt uid = nat.uidOf(n);
        if (uid.isEmpty()) {
          throw new IllegalArgumentException(
              ProvdConfig.SPOOL_TRUSTED + " names unknown user '" + n + "'");
        }
        out.add(uid.getAsInt());
      } catch (NativeException e) {
        throw new IllegalStateException("cannot resolve user " + n + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The bound control port. */
  public int controlPort() {
    return control.port();
  }

  /** The capture manager (for tests and metrics). */
  public CaptureManager captures() {
    return captures;
  }

  /** One line of every counter. */
  public String metricsLine() {
    StringBuilder sb = new StringBuilder();
    Map<String, Long> c = captures.counts();
    sb.append("captures file=")
        .append(c.get("file"))
        .append(" ptrace=")
        .append(c.get("ptrace"))
        .append(" started=")
        .append(captures.started.get())
        .append(" refused=")
        .append(captures.refused.get())
        .append(" cpuGuardStops=")
        .append(captures.cpuGuardStops.get());
    sb.append(" | control connections=")
        .append(control.connections.get())
        .append(" authFailures=")
        .append(control.authFailures.get())
        .append(" replaysRefused=")
        .append(control.replaysRefused.get())
        .append(" malformed=")
        .append(control.malformed.get())
        .append(" linesSent=")
        .append(control.linesSent.get())
        .append(" linesDropped=")
        .append(control.linesDropped.get());
    if (fanotify != null) {
      sb.append(" | fanotify events=")
          .append(fanotify.eventsRead.get())
          .append(" published=")
          .append(fanotify.recordsPublished.get())
          .append(" ownSkipped=")
          .append(fanotify.ownEventsSkipped.get())
          .append(" overflows=")
          .append(fanotify.overflows.get())
          .append(" unresolved=")
          .append(fanotify.unresolved.get());
    }
    if (kafka != null) {
      sb.append(" kafkaSendErrors=").append(kafka.sendErrors.get());
    }
    if (spool != null) {
      sb.append(" | spool uploaded=")
          .append(spool.uploaded.get())
          .append(" rejected=")
          .append(spool.rejectedCount.get())
          .append(" publishFailures=")
          .append(spool.publishFailures.get());
    }
    return sb.toString();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("provd stopping: detaching every capture");
    metrics.shutdownNow();
    closeAll(captures, control, fanotify, spool, kafka);
    LOG.info("provd stopped; metrics: {}", metricsLine());
  }

  private static void closeAll(AutoCloseable... parts) {
    for (AutoCloseable p : parts) {
      if (p == null) {
        continue;
      }
      try {
        p.close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}: {}", p.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
