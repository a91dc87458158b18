package io.ursprung.consumer.camflow;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigException;
import io.ursprung.db.Database;
import io.ursprung.db.camflow.CamflowStore;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.status.IngestStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ursprung consumer --source camflow}: what {@code ConsumerCommand} runs for this source,
 * because the CamFlow source reads MQTT, not Kafka, and has its own configuration keys.
 */
public final class CamflowCommand {
  private static final Logger LOG = LoggerFactory.getLogger(CamflowCommand.class);

  private CamflowCommand() {}

  /**
   * Runs until stopped (SIGTERM/SIGINT).
   *
   * @return the exit status: 0 after a stop, 1 when the store cannot be prepared, 2 for a bad
   *     configuration
   */
  public static int run(Path config, Map<String, String> overrides, PrintWriter err) {
    CamflowSettings settings;
    try {
      Config c = CamflowSettings.DEFINITION.load(config, System.getenv(), overrides);
      settings = CamflowSettings.from(c);
      LOG.info("configuration:\n{}", c.describe());
    } catch (ConfigException e) {
      err.println("ursprung consumer: " + e.getMessage());
      return 2;
    }
    CountDownLatch finished = new CountDownLatch(1);
    CamflowConsumer[] consumer = new CamflowConsumer[1];
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              if (consumer[0] != null) {
                consumer[0].stop(); // the packet in hand is finished and acknowledged first
              } else {
                main.interrupt();
              }
              try {
                finished.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "camflow-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Database db = open(settings)) {
      CamflowStore store =
          new CamflowStore(db.dataSource(), new GraphStore(db.dataSource(), Duration.ofSeconds(1)));
      consumer[0] = new CamflowConsumer(settings, store, new IngestStatus(db.dataSource()));
      consumer[0].run();
      return 0;
    } catch (InterruptedException e) {
      return 0;
    } catch (RuntimeException e) {
      err.println("ursprung consumer: cannot prepare the store: " + e.getMessage());
      return 1;
    } finally {
      finished.countDown();
    }
  }

  /** Opens the store and migrates it, waiting while PostgreSQL is not reachable. */
  static Database open(CamflowSettings s) throws InterruptedException {
    long backoff = 500;
    while (true) {
      try {
        Database db =
            Database.open(s.jdbcUrl(), s.jdbcUser(), s.jdbcPassword(), "consumer-camflow", 3);
        try {
          db.migrate();
        } catch (RuntimeException e) {
          db.close();
          throw e;
        }
        return db;
      } catch (RuntimeException e) {
        if (!reachability(e)) {
          throw e;
        }
        LOG.warn(
            "PostgreSQL at {} is not available ({}); retrying in {} ms",
            s.jdbcUrl(),
            e.getMessage(),
            backoff);
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, s.maxBackoff().toMillis());
      }
    }
  }

  private static boolean reachability(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.sql.SQLException e
          && e.getSQLState() != null
          && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57"))) {
        return true;
      }
      if (c instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }
}
