package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ursprung.backend.Backend;
import io.ursprung.backend.BackendConfig;
import io.ursprung.consumer.Source;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web GUI end to end: the real etl-bob capture goes through the plugin's parser and OS model,
 * Kafka and the consumer into PostgreSQL; the backend serves the API and the built GUI (the
 * gui-frontend jar's /public) on one port; then gui-frontend/e2e/scenario.mjs drives the machine's
 * headless Chromium through it (log in, search out/rows.sorted.gz, expand until out/rows.csv
 * appears, a process's details, reproduce, PROV-JSON download, compare two runs). The capture is
 * replayed as two hosts, so there are two runs of the pipeline to compare. Screenshots land in
 * gui-frontend/target/screenshots/real.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
class GuiEndToEndIT {
  static final String ADMIN_TOKEN = "gui-e2e-admin-token-0123456789abcdef";
  static final Path TESTDATA =
      Path.of("..", "..", "shared", "testdata", "audit").toAbsolutePath().normalize();
  static final Path FRONTEND = Path.of("..", "gui-frontend").toAbsolutePath().normalize();
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void theIssueScenarioInHeadlessChromiumOverTheRealGraph(TestKafka kafka, TestDatabase db)
      throws Exception {
    // Skipped, with the reason, where the browser or the GUI's node modules are missing.
    assumeTrue(
        Files.isExecutable(CHROMIUM), CHROMIUM + " is not installed (apt-get install chromium)");
    assumeTrue(onPath("node"), "node is not on the PATH");
    assumeTrue(
        Files.isDirectory(FRONTEND.resolve("node_modules/playwright-core")),
        "gui-frontend's node modules are not installed (build gui-frontend first)");

    Path log = TESTDATA.resolve("etl-bob.plugin-stream.log");
    List<ProvEvent> events = new ArrayList<>(AuditCapture.events(log, "worker01"));
    events.addAll(AuditCapture.events(log, "worker02"));
    String topic = kafka.createTopic("auditd-gui", 2);
    AtomicLong progress = new AtomicLong(-1);
    // The consumer reports its status row (the dashboard's ingest figures) and keeps running
    // while the browser looks at them, as in a deployment.
    try (ConsumerHarness.Running c =
        ConsumerHarness.startReporting(
            ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, db.jdbcUrl(), 1000),
            new GraphStore(db.dataSource(), Duration.ofSeconds(1)),
            db.dataSource())) {
      ConsumerHarness.send(kafka, topic, events);
      await(
          "both replays stored",
          Duration.ofSeconds(300),
          () -> {
            long stored = count(db, "SELECT count(*) FROM event_archive");
            if (stored != progress.getAndSet(stored)) {
              System.out.println("GuiEndToEndIT: " + stored + " of " + events.size() + " stored");
            }
            return stored == events.size();
          });
      await(
          "the consumer's status row to count every event",
          Duration.ofSeconds(60),
          () ->
              count(db, "SELECT coalesce(sum(events_total), 0) FROM consumer_status")
                  == events.size());
      browse(db);
    }
  }

  /** Starts the backend with the GUI and runs the browser scenario against it. */
  private void browse(TestDatabase db) throws Exception {
    // The port is chosen before the backend starts so that the page's origin is known; the
    // backend allows its own origin anyway, and CORS names it explicitly as a deployment would.
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    try (Backend backend =
        TestBackends.open(
            db,
            ADMIN_TOKEN,
            Map.of(
                BackendConfig.PORT,
                Integer.toString(port),
                BackendConfig.CORS,
                base,
                BackendConfig.SERVE_GUI,
                "true"))) {
      Path out = FRONTEND.resolve("target/screenshots/real");
      Files.createDirectories(out);
      Path output = out.resolve("scenario.log");
      Process node =
          new ProcessBuilder(
                  "node",
                  "e2e/scenario.mjs",
                  "--base",
                  base,
                  "--admin-token",
                  ADMIN_TOKEN,
                  "--uids",
                  "1001",
                  "--min-runs",
                  "2",
                  "--shots",
                  out.toString())
              .directory(FRONTEND.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean done = node.waitFor(5, TimeUnit.MINUTES);
      if (!done) {
        node.destroyForcibly();
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      System.out.println("--- gui-frontend/e2e/scenario.mjs ---\n" + text);
      assertEquals(true, done, "the browser scenario did not finish in 5 minutes:\n" + text);
      assertEquals(0, node.exitValue(), "the browser scenario failed:\n" + text);
    }
  }

  static boolean onPath(String program) {
    try {
      Process p = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
