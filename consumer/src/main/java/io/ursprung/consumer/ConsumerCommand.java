package io.ursprung.consumer;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigException;
import io.ursprung.consumer.rules.RuleEngine;
import io.ursprung.consumer.rules.RuleHook;
import io.ursprung.consumer.rules.RuleSettings;
import io.ursprung.db.Database;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.EventCodec;
import io.ursprung.rules.RuleFileException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ursprung consumer}: reads one source's Kafka topic and stores the provenance graph. Exit
 * status: 0 after a stop (SIGTERM/SIGINT), 1 after a fatal error (authentication, permissions), 2
 * for a bad command line or configuration.
 */
@Command(
    name = "consumer",
    mixinStandardHelpOptions = true,
    versionProvider = ConsumerVersionProvider.class,
    description = "Master-side consumer: Kafka to the provenance graph in PostgreSQL.",
    footerHeading = "%nConfiguration keys (file, URSPRUNG_* environment, or --set):%n",
    footer = "${sys:ursprung.consumer.config-help}")
public final class ConsumerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerCommand.class);

  /** Exit status for a bad configuration. */
  public static final int EXIT_CONFIG = 2;

  /** Exit status after a fatal runtime error. */
  public static final int EXIT_FATAL = 1;

  static {
    // The footer is derived from the key declarations; picocli interpolates it when rendering,
    // also when this class is a subcommand of ursprung.
    System.setProperty("ursprung.consumer.config-help", ConsumerSettings.DEFINITION.toHelpText());
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--source",
      required = true,
      paramLabel = "SOURCE",
      description = "What to consume: ${COMPLETION-CANDIDATES}.")
  Source source;

  @Mixin ConfigOptions options;

  private volatile ConsumerLoop loop;
  private final CountDownLatch finished = new CountDownLatch(1);

  /** Runs the command in this JVM (tests start consumers in their own process this way). */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** A configured command line with the configuration keys in its help footer. */
  public static CommandLine commandLine() {
    CommandLine cl =
        new CommandLine(new ConsumerCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    cl.getCommandSpec().usageMessage().footer(ConsumerSettings.DEFINITION.toHelpText());
    return cl;
  }

  /** The messages of {@code e} and its causes, which Kafka's wrappers keep the reason in. */
  static String causes(Throwable e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
    Throwable c = e.getCause();
    for (int depth = 0; c != null && depth < 10; depth++, c = c.getCause()) {
      sb.append(": ").append(c.getMessage());
    }
    return sb.toString();
  }

  @Override
  public Integer call() {
    if (source == Source.CAMFLOW) {
      // MQTT, with its own configuration keys and loop.
      return io.ursprung.consumer.camflow.CamflowCommand.run(
          options.config, options.overrides, spec.commandLine().getErr());
    }
    ConsumerSettings settings;
    RuleSettings ruleSettings;
    try {
      // Loading checks every key, the kafka.* and rules.db.* ones included, and lists every
      // problem at once before anything is opened.
      Config c =
          ConsumerSettings.DEFINITION.load(options.config, System.getenv(), options.overrides);
      settings = ConsumerSettings.from(source, c);
      ruleSettings = RuleSettings.from(c);
      LOG.info("configuration:\n{}", c.describe());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("ursprung consumer: " + e.getMessage());
      return EXIT_CONFIG;
    }
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              ConsumerLoop l = loop;
              if (l != null) {
                l.stop(); // finishes the batch in hand and closes the clients cleanly
              } else {
                main.interrupt(); // still waiting for PostgreSQL at start-up
              }
              try {
                finished.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "consumer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    RuleEngine rules = null;
    try (Database db = Startup.openDatabase(settings)) {
      GraphStore store = new GraphStore(db.dataSource(), settings.skew());
      if (ruleSettings.rulesFile() != null) {
        try {
          rules =
              RuleEngine.start(
                  ruleSettings, settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword());
        } catch (RuleFileException e) {
          spec.commandLine().getErr().println("ursprung consumer: " + e.getMessage());
          return EXIT_CONFIG;
        }
        rules.installSignalHandler();
      }
      RuleEngine engine = rules;
      javax.sql.DataSource ds = db.dataSource();
      // Each handler has its own rule hook: a hook holds one batch's matches.
      java.util.function.Supplier<SourceHandler> handlers =
          () -> {
            RuleHook ruleHook = engine == null ? RuleHook.NONE : engine.hook();
            return switch (settings.source()) {
              case AUDITD -> new AuditdMapper(new EventCodec(), store, ruleHook);
              case SCALE -> new ScaleMapper(store, settings.renameTimeout(), ruleHook);
              case JOBS -> new JobsHandler(new EventCodec(), new io.ursprung.db.jobs.JobStore(ds));
              case CAMFLOW -> throw new IllegalStateException("camflow is handled above");
            };
          };
      SourceHandler handler = handlers.get();
      // The Scale mapper keeps its clock (rename time-outs) from batch to batch: one at a time.
      SourceHandler spare = settings.source() == Source.SCALE ? null : handlers.get();
      Metrics metrics = new Metrics();
      try {
        loop =
            new ConsumerLoop(
                settings,
                handler,
                spare,
                metrics,
                new StatusReporter(
                    new io.ursprung.db.status.IngestStatus(db.dataSource()),
                    settings,
                    metrics,
                    java.time.Clock.systemUTC()));
      } catch (org.apache.kafka.common.KafkaException e) {
        // The kafka.* properties were checked at load; what only the clients' constructors find
        // (a JAAS text they cannot parse, say) is still a bad configuration: reported, not traced.
        spec.commandLine()
            .getErr()
            .println("ursprung consumer: the Kafka client cannot be created: " + causes(e));
        return EXIT_CONFIG;
      }
      loop.run();
      return 0;
    } catch (ConsumerLoop.FatalException e) {
      spec.commandLine().getErr().println("ursprung consumer: " + e.getMessage());
      return EXIT_FATAL;
    } catch (Startup.StoppedException e) {
      return 0;
    } finally {
      if (rules != null) {
        rules.close();
      }
      finished.countDown();
    }
  }
}
