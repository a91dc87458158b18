package io.ursprung.plugin;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigException;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.UrsprungVersion;
import io.ursprung.plugin.audit.AuditProcessor;
import io.ursprung.plugin.model.ProcFs;
import io.ursprung.plugin.model.ProcScan;
import io.ursprung.plugin.model.ProcSource;
import io.ursprung.plugin.model.ProcState;
import io.ursprung.plugin.nativeaccess.AuditStatus;
import io.ursprung.plugin.nativeaccess.AuditStatusResult;
import io.ursprung.plugin.nativeaccess.NativeOs;
import io.ursprung.plugin.sink.DiskSpool;
import io.ursprung.plugin.sink.EventSink;
import io.ursprung.plugin.sink.JsonLinesSink;
import io.ursprung.plugin.sink.KafkaSink;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ursprung plugin}: the auditd plugin. Started by auditd with {@code format = string}, it
 * reads audit records on stdin and sends provenance events to Kafka; with {@code --input} it
 * replays audit logs (backfill), with {@code --output jsonl:FILE} it writes JSON lines instead.
 *
 * <p>Signals: SIGTERM (auditd stopping or replacing the plugin) runs a shutdown hook that processes
 * what was already read, completes pending events, flushes Kafka or spools what it cannot send, and
 * exits. SIGHUP (auditd reloading) re-reads the configuration through {@code sun.misc.Signal},
 * because the JVM's default would exit and auditd would count a crash; a bad new configuration is
 * logged problem by problem and the old one stays in force.
 */
@Command(
    name = "plugin",
    mixinStandardHelpOptions = true,
    versionProvider = PluginCommand.Version.class,
    description = {
      "auditd plugin: audit records on stdin (or --input files) to provenance events on Kafka.",
      "Configuration: --config file, then URSPRUNG_* environment variables, then options."
    },
    footer = {
      "",
      "Configuration keys: run with --config-keys, or see docs/auditd-plugin.md.",
      "Exit status: 0 done, 1 an input could not be read, 2 bad usage or configuration."
    })
public final class PluginCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(PluginCommand.class);
  static final String PRODUCER_NAME = "ursprung-auditd-plugin";

  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "Replay audit logs instead of reading stdin: files (plain or .gz) in the given order,"
              + " or directories (audit.log.N ... audit.log.1, audit.log last; others by name).")
  List<Path> inputs = new ArrayList<>();

  @Option(
      names = "--output",
      paramLabel = "jsonl:FILE",
      description = "Write JSON lines to FILE (jsonl:- for stdout) instead of sending to Kafka.")
  String output;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file.")
  Path configFile;

  @Option(
      names = "--host",
      paramLabel = "NAME",
      description = "Host name for records without node= (overrides " + PluginConfig.HOST + ").")
  String host;

  @Option(
      names = "--config-keys",
      description = "Print the configuration keys (Markdown) and exit.")
  boolean configKeys;

  /** Entry point for the auditd launcher, which runs the plugin without the whole CLI. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new PluginCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (configKeys) {
      spec.commandLine().getOut().print(PluginConfig.DEF.toMarkdownTable());
      spec.commandLine().getOut().flush();
      return 0;
    }
    Optional<Path> jsonl;
    try {
      jsonl = parseOutput(output);
    } catch (IllegalArgumentException e) {
      err.println("plugin: " + e.getMessage());
      return 2;
    }
    Config config;
    try {
      config = loadConfig();
    } catch (ConfigException e) {
      err.println("plugin: " + e.getMessage());
      return 2;
    }
    PluginConfig.Settings settings = PluginConfig.Settings.of(config);
    LOG.info(
        "ursprung plugin {} starting; configuration:\n{}",
        UrsprungVersion.get(),
        config.describe());

    List<InputPump.Source> sources = new ArrayList<>();
    long maxWait;
    boolean live = inputs.isEmpty();
    if (live) {
      sources.add(InputPump.Source.stdin(new FileInputStream(FileDescriptor.in)));
      maxWait = settings.queueMaxWaitMillis();
    } else {
      try {
        for (Path p : InputFiles.expand(inputs)) {
          sources.add(InputPump.Source.file(p));
        }
      } catch (IOException e) {
        err.println("plugin: cannot read input: " + e.getMessage());
        return 2;
      }
      maxWait = -1; // a replay may wait: nobody upstream drops because of us
    }

    NativeOs os = NativeOs.load();
    LOG.info("native access: {}", os.description());
    NameCache users = new NameCache("user", os::userName, System::currentTimeMillis);
    NameCache groups = new NameCache("group", os::groupName, System::currentTimeMillis);

    SwitchableSink sink;
    try {
      sink = new SwitchableSink(createSink(settings, jsonl));
    } catch (UncheckedIOException e) {
      err.println("plugin: " + e.getMessage());
      return 2;
    }
    AuditProcessor processor =
        AuditProcessors.create(
            settings.host(),
            UrsprungVersion.producer(PRODUCER_NAME),
            sink,
            users,
            groups,
            settings.eventTimeoutMillis(),
            settings.emitRawSyscalls());

    ChunkQueue queue = new ChunkQueue(settings.queueMaxBytes());
    InputPump pump = new InputPump(sources, queue, maxWait);
    Thread reader = new Thread(pump, "ursprung-input");
    reader.setDaemon(true); // a read blocked on stdin must not keep the JVM alive
    PluginRunner runner = new PluginRunner(queue, pump, processor, sink, System::currentTimeMillis);
    StatsLogger stats =
        new StatsLogger(
            runner,
            os,
            live,
            settings.host(),
            UrsprungVersion.producer(PRODUCER_NAME),
            e -> runner.runOnProcessingThread(() -> sink.accept(e)));
    stats.schedule(settings.statsIntervalSeconds());
    stats.scheduleStatus(settings.statusIntervalSeconds());

    Thread hook =
        new Thread(
            () -> {
              runner.requestStop();
              try {
                if (!runner.awaitDone(20_000)) {
                  LOG.error("shutdown: events still pending after 20 s; exiting anyway");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "ursprung-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Reloader reloader = new Reloader(settings, jsonl, runner, sink, stats);
    installHangupHandler(reloader);

    reader.start();
    if (live && settings.procBootstrap()) {
      ProcFs procFs = new ProcFs();
      // after the reader started, so auditd is not held up; before the processing loop, so the
      // model knows the running processes before it applies the first record
      seedRunningProcesses(processor, procFs, settings.procBootstrapMinUid(), settings.stateFile());
      if (settings.stateFile() != null) {
        StateSaver saver = new StateSaver(processor, procFs, settings.stateFile());
        // every stats interval, so that a kill -9 loses at most one interval's identities, and
        // at exit; the model is read on the processing thread, the only one that may touch it
        stats.alsoEveryInterval(() -> runner.runOnProcessingThread(saver::writeLater));
        runner.atEnd(saver::save);
      }
    }
    int code = runner.run();
    stats.stop();
    LOG.info("finished: {}", runner.stats(stats.kernelStatus()).format());
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down (SIGTERM): the hook is running and waits for us.
    }
    return code;
  }

  /**
   * Seeds the processes already running into the model. Reading auditd live only: /proc describes
   * now, not the time of a replayed log. A failure loses only the seed.
   */
  static void seedRunningProcesses(AuditProcessor processor, ProcSource source, long minUid) {
    seedRunningProcesses(processor, source, minUid, null);
  }

  /**
   * Like {@link #seedRunningProcesses(AuditProcessor, ProcSource, long)}, restoring the identities
   * an earlier plugin instance saved in stateFile (null: none). A state file that cannot be read is
   * logged and ignored.
   */
  static void seedRunningProcesses(
      AuditProcessor processor, ProcSource source, long minUid, Path stateFile) {
    List<ProcState.Entry> saved = loadState(stateFile);
    try {
      ProcScan.Result r = ProcScan.scan(source, minUid);
      Map<Integer, Instant> restored = ProcState.restoredStarts(saved, r.processes());
      processor.seedRunningProcesses(r, restored);
      LOG.info(
          "bootstrap: {} running processes of uid >= {} seeded from /proc with {} open files"
              + " ({} with the identity saved by the previous instance);"
              + " {} skipped (ended while read, or unreadable), {} descriptors unreadable",
          r.processes().size(),
          minUid,
          r.files(),
          restored.size(),
          r.skipped(),
          r.unreadableFds());
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "bootstrap: cannot read the running processes ({}); they are first-seen at their first"
              + " audited syscall",
          e.toString());
    }
  }

  private static List<ProcState.Entry> loadState(Path stateFile) {
    if (stateFile == null) {
      return List.of();
    }
    try {
      ProcState.Saved s = ProcState.load(stateFile);
      if (s.skipped() > 0) {
        LOG.warn("state file {}: {} malformed lines skipped", stateFile, s.skipped());
      }
      LOG.info("state file {}: {} saved process identities", stateFile, s.entries().size());
      return s.entries();
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "cannot read the state file {} ({}); processes are seeded with their /proc start times",
          stateFile,
          e.toString());
      return List.of();
    }
  }

  /**
   * Saves the identities of the live processes (see {@link ProcState}). Which processes are live is
   * read on the processing thread (a list copy); reading their /proc start times and writing the
   * file, one /proc read per process, happens on {@link #writeLater}'s own thread, off the thread
   * that must keep up with auditd. A failure is logged when it starts, not at every interval.
   */
  static final class StateSaver {
    private final AuditProcessor processor;
    private final ProcSource source;
    private final Path file;
    private final java.util.concurrent.ExecutorService writer =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "plugin-state-writer");
              t.setDaemon(true);
              return t;
            });
    private long taken; // processing thread only
    private long written = -1; // guarded by this
    private boolean failing; // guarded by this

    StateSaver(AuditProcessor processor, ProcSource source, Path file) {
      this.processor = processor;
      this.source = source;
      this.file = file;
    }

    /** On the processing thread: snapshots the live processes, written on the writer thread. */
    void writeLater() {
      long seq = ++taken;
      List<ProcessRef> live = processor.liveProcessRefs();
      writer.execute(() -> write(seq, live));
    }

    /** On the processing thread, at exit: snapshots and writes now. */
    void save() {
      write(++taken, processor.liveProcessRefs());
    }

    // A periodic write that finishes after the final one must not replace it: older snapshots are
    // dropped.
    private synchronized void write(long seq, List<ProcessRef> live) {
      if (seq <= written) {
        return;
      }
      try {
        int n = ProcState.save(file, live, source);
        written = seq;
        if (failing) {
          LOG.info("state file {} written again ({} processes)", file, n);
        }
        failing = false;
      } catch (IOException | RuntimeException e) {
        if (!failing) {
          LOG.warn(
              "cannot write the state file {} ({}); a restart gives the running processes new"
                  + " identities",
              file,
              e.toString());
        }
        failing = true;
      }
    }
  }

  private Config loadConfig() {
    Map<String, String> overrides = new HashMap<>();
    if (host != null) {
      overrides.put(PluginConfig.HOST, host);
    }
    return PluginConfig.DEF.load(configFile, System.getenv(), overrides);
  }

  static Optional<Path> parseOutput(String output) {
    if (output == null) {
      return Optional.empty();
    }
    if (!output.startsWith("jsonl:") || output.length() == "jsonl:".length()) {
      throw new IllegalArgumentException(
          "--output must be jsonl:FILE or jsonl:- (stdout), got '" + output + "'");
    }
    return Optional.of(Path.of(output.substring("jsonl:".length())));
  }

  static EventSink createSink(PluginConfig.Settings s, Optional<Path> jsonl) {
    try {
      if (jsonl.isPresent()) {
        Path p = jsonl.get();
        return p.toString().equals("-") ? JsonLinesSink.toStdout() : JsonLinesSink.toFile(p);
      }
      DiskSpool spool = DiskSpool.open(s.spoolDir(), s.spoolMaxBytes());
      return KafkaSink.create(
          s.bootstrapServers(), s.kafka(), s.topic(), PRODUCER_NAME + "-" + s.host(), spool);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the output: " + e.getMessage(), e);
    }
  }

  private static void installHangupHandler(Reloader reloader) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> reloader.reload());
    } catch (IllegalArgumentException e) {
      // -Xrs or a platform without SIGHUP: the JVM default stays; log why reloads will not work.
      LOG.warn("cannot handle SIGHUP ({}): configuration reloads need a restart", e.getMessage());
    }
  }

  /** Re-reads the configuration on SIGHUP and applies what can be applied while running. */
  final class Reloader {
    private PluginConfig.Settings current;
    private final Optional<Path> jsonl;
    private final PluginRunner runner;
    private final SwitchableSink sink;
    private final StatsLogger stats;

    Reloader(
        PluginConfig.Settings current,
        Optional<Path> jsonl,
        PluginRunner runner,
        SwitchableSink sink,
        StatsLogger stats) {
      this.current = current;
      this.jsonl = jsonl;
      this.runner = runner;
      this.sink = sink;
      this.stats = stats;
    }

    synchronized void reload() {
      PluginConfig.Settings next;
      try {
        next = PluginConfig.Settings.of(loadConfig());
      } catch (ConfigException e) {
        LOG.error("SIGHUP: the new configuration is not usable; keeping the old one");
        for (String problem : e.problems()) {
          LOG.error("SIGHUP: configuration problem: {}", problem);
        }
        return;
      } catch (RuntimeException e) {
        LOG.error("SIGHUP: cannot reload the configuration; keeping the old one", e);
        return;
      }
      PluginConfig.Settings old = current;
      current = next;
      if (next.equals(old)) {
        LOG.info("SIGHUP: configuration unchanged");
        return;
      }
      if (next.statsIntervalSeconds() != old.statsIntervalSeconds()) {
        stats.schedule(next.statsIntervalSeconds());
      }
      if (next.statusIntervalSeconds() != old.statusIntervalSeconds()) {
        stats.scheduleStatus(next.statusIntervalSeconds());
      }
      if (old.processorDiffers(next)) {
        LOG.warn(
            "SIGHUP: host, event time-out, raw syscalls, input queue, /proc bootstrap and state file"
                + " settings take effect at the next start (restart auditd or the plugin)");
      }
      if (jsonl.isEmpty() && old.sinkDiffers(next)) {
        runner.runOnProcessingThread(
            () -> {
              try {
                sink.replace(() -> createSink(next, jsonl), () -> createSink(old, jsonl));
                LOG.info("SIGHUP: Kafka settings applied");
              } catch (RuntimeException e) {
                LOG.error("SIGHUP: cannot apply the new Kafka settings; kept the old ones", e);
              }
            });
      }
      LOG.info("SIGHUP: configuration reloaded");
    }
  }

  /**
   * Logs the counters every interval, warns when the kernel's lost counter grows, and (reading
   * auditd's stream) publishes a {@code host.status} event every status interval.
   */
  static final class StatsLogger {
    private final PluginRunner runner;
    private final NativeOs os;
    private final boolean live;
    private final String host;
    private final io.ursprung.events.Producer producer;
    private final java.util.function.Consumer<io.ursprung.events.ProvEvent> publish;
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ursprung-stats");
              t.setDaemon(true);
              return t;
            });
    private ScheduledFuture<?> task;
    private volatile Runnable everyInterval;
    private ScheduledFuture<?> statusTask;
    private long statusSeconds;
    private volatile Optional<AuditStatus> kernel = Optional.empty();
    private long lastLost = -1;
    private boolean reasonLogged;

    StatsLogger(PluginRunner runner, NativeOs os, boolean live) {
      this(runner, os, live, null, null, e -> {});
    }

    /**
     * @param publish hands a host.status event to the sink (on the processing thread)
     */
    StatsLogger(
        PluginRunner runner,
        NativeOs os,
        boolean live,
        String host,
        io.ursprung.events.Producer producer,
        java.util.function.Consumer<io.ursprung.events.ProvEvent> publish) {
      this.runner = runner;
      this.os = os;
      this.live = live;
      this.host = host;
      this.producer = producer;
      this.publish = publish;
    }

    synchronized void schedule(long seconds) {
      if (task != null) {
        task.cancel(false);
      }
      task = timer.scheduleAtFixedRate(this::log, seconds, seconds, TimeUnit.SECONDS);
    }

    /** Publishes host.status every {@code seconds} (0: never); only when reading auditd live. */
    synchronized void scheduleStatus(long seconds) {
      if (statusTask != null) {
        statusTask.cancel(false);
        statusTask = null;
      }
      statusSeconds = seconds;
      if (seconds > 0 && live && host != null) {
        // The first report soon after start: the dashboard then knows the host at once.
        statusTask =
            timer.scheduleAtFixedRate(
                this::publishStatus, Math.min(seconds, 5), seconds, TimeUnit.SECONDS);
      }
    }

    Optional<AuditStatus> kernelStatus() {
      return kernel;
    }

    /** Queries the kernel (live only) and warns about new losses; on the timer thread. */
    private AuditStatusResult queryKernel() {
      AuditStatusResult r = os.auditStatus();
      kernel = r.status();
      if (r.status().isEmpty() && !reasonLogged) {
        reasonLogged = true;
        LOG.warn("kernel audit status unavailable: {}", r.reason());
      }
      r.status()
          .ifPresent(
              s -> {
                if (lastLost >= 0 && s.lost() > lastLost) {
                  LOG.warn(
                      "the kernel lost {} audit records since the last report (lost={},"
                          + " backlog={}/{}): raise -b or see docs/auditd-plugin.md",
                      s.lost() - lastLost,
                      s.lost(),
                      s.backlog(),
                      s.backlogLimit());
                }
                lastLost = s.lost();
              });
      return r;
    }

    /** Also runs task (which must not block) every stats interval. */
    void alsoEveryInterval(Runnable task) {
      everyInterval = task;
    }

    private void log() {
      try {
        Runnable extra = everyInterval;
        if (extra != null) {
          extra.run();
        }
        if (live) {
          queryKernel();
        }
        LOG.info("stats: {}", runner.stats(kernel).format());
      } catch (RuntimeException e) {
        LOG.warn("cannot log stats", e);
      }
    }

    private void publishStatus() {
      try {
        AuditStatusResult r = queryKernel();
        io.ursprung.events.ProvEvent e =
            HostStatusEvents.of(
                host,
                producer,
                java.time.Instant.now(),
                runner.stats(r.status()),
                r,
                statusSeconds);
        publish.accept(e);
      } catch (RuntimeException e) {
        // A status report is informative; the capture goes on without it.
        LOG.warn("cannot publish host.status", e);
      }
    }

    void stop() {
      timer.shutdownNow();
    }
  }

  /** {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ursprung plugin " + UrsprungVersion.get()};
    }
  }
}
