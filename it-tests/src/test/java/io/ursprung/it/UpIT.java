package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.EventCodec;
import io.ursprung.events.FileAccess;
import io.ursprung.events.KafkaKeys;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/ursprung up} as a newcomer starts it: a separate process with its own Kafka and its
 * own PostgreSQL. Events sent to its broker reach the graph and the API; after a stop and a start
 * on the same data directory, they, and the login, are still there.
 */
class UpIT {

  private static final Pattern LOGIN = Pattern.compile("Sign in as:\\s+(\\S+) / (\\S+)");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Path dataDir;
  private Process up;

  @AfterEach
  void stopAndClean() throws Exception {
    stop();
    if (dataDir != null) {
      try (Stream<Path> all = Files.walk(dataDir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void upServesGuiAndApiAndKeepsDataAcrossRestarts() throws Exception {
    dataDir = Files.createTempDirectory("ursprung-up-it-");
    // As root, the embedded PostgreSQL runs as 'nobody', who must reach its directory.
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    int[] ports = RunIT.freePorts(3);
    int port = ports[0];
    int kafkaPort = ports[1];
    int pgPort = ports[2];
    Path log = dataDir.resolve("up.log");

    String[] login = start(port, kafkaPort, pgPort, log);
    String page = get(port, "/", null).body();
    assertTrue(page.contains("id=\"app\""), "the GUI is served on the same port:\n" + page);
    String token = login(port, login[0], login[1]);

    // A process that writes a file, sent to the master's broker as a worker's plugin would.
    Instant t = Instant.parse("2026-11-20T10:00:00.000Z");
    ProcessRef proc = new ProcessRef(4242, t);
    Producer producer = new Producer("up-it", "1");
    List<ProvEvent> events =
        List.of(
            ProvEvent.of(
                "uphost:auditd:1:0",
                producer,
                "uphost",
                t,
                new ProcessStarted(proc, null, 1, null, null, null, "/data", null, null, "fork")),
            ProvEvent.of(
                "uphost:auditd:2:0",
                producer,
                "uphost",
                t.plusMillis(1),
                new ProcessExec(
                    proc,
                    "/usr/bin/train",
                    null,
                    null,
                    List.of("train", "--epochs", "3"),
                    "/data",
                    null,
                    "execve")),
            ProvEvent.of(
                "uphost:auditd:3:0",
                producer,
                "uphost",
                t.plusMillis(2),
                new FileAccess(
                    proc,
                    FileAccess.Op.OPEN,
                    "/data/model.bin",
                    77L,
                    "fe:01",
                    3,
                    "0x241",
                    false,
                    true,
                    true,
                    true,
                    null,
                    null,
                    "file")));
    Properties p = new Properties();
    p.put("bootstrap.servers", "127.0.0.1:" + kafkaPort);
    EventCodec codec = new EventCodec();
    try (KafkaProducer<byte[], byte[]> kp =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (ProvEvent e : events) {
        kp.send(new ProducerRecord<>("auditd", KafkaKeys.keyFor(e), codec.toBytes(e))).get();
      }
    }
    waitFor(
        () -> get(port, "/api/v1/processes?q=epochs", token).body().contains("train --epochs 3"),
        90);
    // The in-process consumers report their status rows, which the dashboard reads as metrics.
    Pattern stored =
        Pattern.compile(
            "ursprung_consumer_events_total\\{source=\"auditd\"[^}]*\\} " + events.size() + "\n");
    waitFor(() -> stored.matcher(get(port, "/api/v1/metrics", token).body()).find(), 60);

    // Stop (SIGTERM) and start again on the same data directory.
    stop();
    String[] again = start(port, kafkaPort, pgPort, dataDir.resolve("up2.log"));
    assertEquals(login[1], again[1], "the login survives a restart");
    String token2 = login(port, again[0], again[1]);
    HttpResponse<String> found = get(port, "/api/v1/processes?q=epochs", token2);
    assertEquals(200, found.statusCode(), found.body());
    assertTrue(
        found.body().contains("train --epochs 3"), "data survive a restart: " + found.body());
    // The first run's consumers said at shutdown that they stopped; their totals stay.
    String metrics = get(port, "/api/v1/metrics", token2).body();
    assertTrue(
        Pattern.compile("ursprung_consumer_up\\{source=\"auditd\"[^}]*\\} 0\n")
            .matcher(metrics)
            .find(),
        metrics);
    assertTrue(stored.matcher(metrics).find(), metrics);
  }

  private String[] start(int port, int kafkaPort, int pgPort, Path log) throws Exception {
    up =
        new ProcessBuilder(
                LauncherIT.REPO.resolve("bin/ursprung").toString(),
                "up",
                "--data-dir",
                dataDir.toString(),
                "--port",
                Integer.toString(port),
                "--kafka-port",
                Integer.toString(kafkaPort),
                "--postgres-port",
                Integer.toString(pgPort))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      assertTrue(up.isAlive(), "ursprung up exited:\n" + Files.readString(log));
      Matcher m = LOGIN.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (m.find()) {
        HttpResponse<String> health = get(port, "/api/v1/health", null);
        assertEquals(200, health.statusCode(), health.body());
        return new String[] {m.group(1), m.group(2)};
      }
      Thread.sleep(500);
    }
    throw new AssertionError("ursprung up did not come up within 180 s:\n" + Files.readString(log));
  }

  private void stop() throws InterruptedException {
    if (up != null && up.isAlive()) {
      up.destroy(); // SIGTERM: the master stops its parts in order
      if (!up.waitFor(90, TimeUnit.SECONDS)) {
        up.destroyForcibly();
      }
    }
    up = null;
  }

  private String login(int port, String user, String password) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(r.body());
    assertTrue(m.find(), r.body());
    return m.group(1);
  }

  private HttpResponse<String> get(int port, String path, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  interface Check {
    boolean ok() throws Exception;
  }

  private static void waitFor(Check check, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (check.ok()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("condition not met within " + seconds + " s");
  }
}
