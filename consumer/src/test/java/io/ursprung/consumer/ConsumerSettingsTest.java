package io.ursprung.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The consumer's configuration is refused with every problem at once, before anything starts. */
class ConsumerSettingsTest {

  private static Config load(Map<String, String> overrides) {
    return ConsumerSettings.DEFINITION.load(null, Map.of(), overrides);
  }

  private static List<String> problems(Map<String, String> overrides) {
    return assertThrows(ConfigException.class, () -> load(overrides)).problems();
  }

  private static boolean anyContains(List<String> problems, String... parts) {
    return problems.stream().anyMatch(p -> List.of(parts).stream().allMatch(p::contains));
  }

  @Test
  void kafkaPassThroughValuesAreCheckedAtLoad() {
    List<String> problems =
        problems(
            Map.of(
                "kafka.max.poll.records", "abc",
                "kafka.session.timeout.ms", "soon",
                "kafka.security.protocol", "SASL_SSL"));
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(anyContains(problems, "kafka.max.poll.records", "abc"), problems.toString());
    assertTrue(anyContains(problems, "kafka.session.timeout.ms", "soon"), problems.toString());
  }

  @Test
  void kafkaValuesOnlyTheDeadLetterProducerReadsAreCheckedToo() {
    assertTrue(
        anyContains(problems(Map.of("kafka.linger.ms", "later")), "kafka.linger.ms", "producer"));
    // Fine alone, but not for the idempotent producer the dead-letter topic is written with.
    assertTrue(
        anyContains(
            problems(Map.of("kafka.max.in.flight.requests.per.connection", "10")),
            "max.in.flight.requests.per.connection"));
  }

  @Test
  void goodKafkaValuesPass() {
    Config c =
        load(
            Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.max.poll.records", "200",
                "kafka.client.id", "consumer-7"));
    assertEquals(
        "200", ConsumerSettings.from(Source.AUDITD, c).kafkaProperties().get("max.poll.records"));
  }

  @Test
  void topicsLeaveRoomForTheDeadLetterSuffix() {
    String ok = "t".repeat(245);
    ConsumerSettings s = ConsumerSettings.from(Source.SCALE, load(Map.of("kafka.topic", ok)));
    assertEquals(249, s.deadLetterTopic().length());
    for (int n = 246; n <= 249; n++) {
      List<String> problems = problems(Map.of("kafka.topic", "t".repeat(n)));
      assertTrue(anyContains(problems, "kafka.topic", "at most 245", ".dlq"), problems.toString());
    }
    assertTrue(anyContains(problems(Map.of("kafka.topic", "..")), "kafka.topic", "'..'"));
    assertEquals("gpfs", ConsumerSettings.from(Source.SCALE, load(Map.of())).topic());
  }

  @Test
  void everyProblemIsListedTogether() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("batch.size", "0");
    bad.put("kafka.topic", "t".repeat(247));
    bad.put("kafka.max.poll.records", "abc");
    bad.put("rules.db.hr.url", "mysql://x");
    bad.put("rules.db.hr.pasword", "x");
    bad.put("rules.db.ops.user", "ops");
    List<String> problems = problems(bad);
    assertEquals(6, problems.size(), problems.toString());
    assertTrue(anyContains(problems, "batch.size"));
    assertTrue(anyContains(problems, "kafka.topic"));
    assertTrue(anyContains(problems, "kafka.max.poll.records"));
    assertTrue(anyContains(problems, "rules.db.hr.url", "PostgreSQL"));
    assertTrue(anyContains(problems, "rules.db.hr.pasword"));
    assertTrue(anyContains(problems, "rules.db.ops.url", "required"));
  }

  @Test
  @Timeout(60) // accepted by mistake, the command would wait for the database
  void theCommandExitsWithStatusTwoAndListsThemBeforeOpeningAnything() {
    StringWriter err = new StringWriter();
    CommandLine cl = ConsumerCommand.commandLine();
    cl.setErr(new PrintWriter(err, true));
    int status =
        cl.execute(
            "--source",
            "auditd",
            "--set",
            "kafka.max.poll.records=abc",
            "--set",
            "kafka.topic=" + "t".repeat(246),
            // Would be tried (and waited for) if the configuration were accepted.
            "--set",
            ConsumerSettings.JDBC_URL + "=jdbc:postgresql://127.0.0.1:1/none");
    assertEquals(ConsumerCommand.EXIT_CONFIG, status, err.toString());
    assertTrue(err.toString().contains("2 configuration problems"), err.toString());
    assertTrue(err.toString().contains("kafka.max.poll.records"), err.toString());
    assertTrue(err.toString().contains(".dlq"), err.toString());
  }
}
