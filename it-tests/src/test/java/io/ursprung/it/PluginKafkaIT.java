package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.EventCodec;
import io.ursprung.events.FileAccess;
import io.ursprung.events.Ipc;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.SocketActivity;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditd plugin as a real process ({@code bin/ursprung plugin}) replaying the real etl-bob
 * capture into the real Kafka broker; what arrives is checked against the capture's README.
 */
@ExtendWith(KafkaExtension.class)
class PluginKafkaIT {

  static final Path TESTDATA = LauncherIT.REPO.resolve("../shared/testdata/audit").normalize();
  static final EventCodec CODEC = new EventCodec();

  static Path capture(String name) {
    Path p = TESTDATA.resolve(name);
    assertTrue(
        Files.isRegularFile(p),
        "the real audit captures are expected in " + TESTDATA + " (shared/ beside the repository)");
    return p;
  }

  static int runPlugin(Map<String, String> env, Path stdin, Path log, String... args)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(LauncherIT.REPO.resolve("bin/ursprung").toString());
    cmd.add("plugin");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.redirectInput(
        stdin == null
            ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
            : ProcessBuilder.Redirect.from(stdin.toFile()));
    // A capture fed through stdin looks live to the plugin: this machine's running processes are
    // not the capture's, and no state file may land in the machine's /var/lib/ursprung.
    pb.environment().put("URSPRUNG_PLUGIN_BOOTSTRAP", "false");
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(
        p.waitFor(120, TimeUnit.SECONDS), "plugin did not finish; log:\n" + Files.readString(log));
    return p.exitValue();
  }

  static List<ProvEvent> readJsonLines(Path file) throws Exception {
    List<ProvEvent> events = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        events.add(CODEC.fromJson(line));
      }
    }
    return events;
  }

  @Test
  void replayOfTheEtlCaptureArrivesInKafkaKeyedByHost(TestKafka kafka, @TempDir Path tmp)
      throws Exception {
    String topic = kafka.createTopic("auditd", 3);
    Path log = tmp.resolve("plugin.log");
    int status =
        runPlugin(
            Map.of(
                "URSPRUNG_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "URSPRUNG_PLUGIN_TOPIC", topic,
                "URSPRUNG_PLUGIN_SPOOL_DIR", tmp.resolve("spool").toString()),
            null,
            log,
            "--input",
            capture("etl-bob.plugin-stream.log").toString());
    assertEquals(0, status, Files.readString(log));

    // The same input as JSON lines, read from stdin as auditd would hand it over: the reference.
    Path jsonl = tmp.resolve("events.jsonl");
    Path log2 = tmp.resolve("plugin-jsonl.log");
    assertEquals(
        0,
        runPlugin(
            Map.of("URSPRUNG_PLUGIN_SPOOL_DIR", tmp.resolve("spool2").toString()),
            capture("etl-bob.plugin-stream.log"),
            log2,
            "--output",
            "jsonl:" + jsonl),
        Files.readString(log2));
    List<ProvEvent> reference = readJsonLines(jsonl);
    assertTrue(reference.size() > 100, "too few events: " + reference.size());

    List<ProvEvent> received = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(kafka.consumerProperties("plugin-it-" + topic))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.size() < reference.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          keys.add(new String(r.key(), StandardCharsets.UTF_8));
          received.add(CODEC.fromBytes(r.value()));
        }
      }
    }
    // Every event made it, once: Kafka and stdin/JSON lines give the same set (deterministic ids).
    assertEquals(reference.size(), received.size());
    assertEquals(
        new HashSet<>(reference.stream().map(ProvEvent::id).toList()),
        new HashSet<>(received.stream().map(ProvEvent::id).toList()));
    assertEquals(Set.of("worker01"), keys, "key = host");

    // The facts of the capture's README, as they arrive from Kafka.
    assertTrue(
        received.stream()
            .map(ProvEvent::data)
            .anyMatch(
                d ->
                    d instanceof ProcessExec x
                        && x.argv().equals(List.of("./extract", "in/all.csv", "out/rows.csv"))
                        && "/home/bob/etl".equals(x.cwd())),
        "exec of ./extract with argv and cwd");
    assertTrue(
        received.stream()
            .map(ProvEvent::data)
            .anyMatch(
                d ->
                    d instanceof FileAccess f
                        && f.op() == FileAccess.Op.RENAME
                        && f.path().equals("/home/bob/etl/out/summary.json.part")
                        && "/home/bob/etl/out/summary.json".equals(f.targetPath())),
        "rename of summary.json.part");
    assertTrue(
        received.stream().map(ProvEvent::data).filter(d -> d instanceof Ipc).count() >= 2,
        "the pipes sort | uniq | gzip");
    assertTrue(
        received.stream()
            .map(ProvEvent::data)
            .anyMatch(
                d ->
                    d instanceof SocketActivity s
                        && s.op().equals("connect")
                        && Integer.valueOf(8765).equals(s.port())),
        "connect to the http.server on 8765");
    assertFalse(Files.readString(log).contains("Exception"), Files.readString(log));
  }
}
