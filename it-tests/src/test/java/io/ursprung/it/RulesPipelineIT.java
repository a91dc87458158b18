package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static io.ursprung.it.ConsumerHarness.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.consumer.AuditdMapper;
import io.ursprung.consumer.ConsumerLoop;
import io.ursprung.consumer.Metrics;
import io.ursprung.consumer.Source;
import io.ursprung.consumer.rules.RuleEngine;
import io.ursprung.consumer.rules.RuleSettings;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.rules.Alert;
import io.ursprung.db.rules.AlertQueries;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules end to end: the real etl-bob capture through the plugin's parser and OS model, Kafka and
 * the auditd consumer with a rules file; the matching events' work is written in the consumer's
 * batch transactions and the action threads raise the alerts.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
class RulesPipelineIT {
  static final String ETL = "/home/bob/etl/";
  @TempDir Path dir;

  @Test
  void etlBobEventsTriggerRulesThroughTheRealPipeline(TestKafka kafka, TestDatabase db)
      throws Exception {
    Path rules = dir.resolve("etl.rules");
    Path alertLog = dir.resolve("alerts.log");
    Files.writeString(
        rules,
        "# the ETL's outputs, and its compiled extractor being run\n"
            + "type = file.access && op = close && write = true && path @ \""
            + ETL
            + "out/.*\" \\\n"
            + "  -> ALERT \"etl output written\"\n"
            + "type = process.exec && exe @ \".*/extract\" \\\n"
            + "  -> ALERT \"extract ran\" INTO FILE "
            + alertLog
            + "\n");
    List<ProvEvent> events =
        AuditCapture.events(AuditCapture.TESTDATA.resolve("etl-bob.plugin-stream.log"));
    String topic = kafka.createTopic("auditd-rules", 2);
    RuleSettings settings =
        RuleSettings.of(
            rules,
            Map.of(
                "prov", new RuleSettings.DbAlias("prov", db.jdbcUrl(), db.user(), db.password())),
            dir.resolve("repo"));
    try (RuleEngine engine = RuleEngine.start(settings, db.jdbcUrl(), db.user(), db.password())) {
      AuditdMapper handler =
          new AuditdMapper(
              ConsumerHarness.CODEC,
              new GraphStore(db.dataSource(), Duration.ofSeconds(1)),
              engine.hook());
      GraphStore store = new GraphStore(db.dataSource(), Duration.ofSeconds(1));
      // Pipelined, as `ursprung consumer` runs: two handlers, each with its own rule hook.
      ConsumerLoop loop =
          new ConsumerLoop(
              ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, db.jdbcUrl(), 200),
              handler,
              new AuditdMapper(ConsumerHarness.CODEC, store, engine.hook()),
              new Metrics(),
              null);
      Thread t = new Thread(loop::run, "it-rules-consumer");
      t.setDaemon(true);
      t.start();
      try {
        ConsumerHarness.send(kafka, topic, events);
        await(
            "the capture stored",
            Duration.ofSeconds(120),
            () -> count(db, "SELECT count(*) FROM event_archive") == events.size());
        await(
            "the rules' work done",
            Duration.ofSeconds(60),
            () ->
                count(db, "SELECT count(*) FROM rule_work") > 0
                    && count(db, "SELECT count(*) FROM rule_work WHERE status <> 'done'") == 0);
      } finally {
        loop.stop();
        t.join(30_000);
      }
    }
    // Every work item belongs to a stored event (written in the same transaction).
    assertEquals(
        0,
        count(
            db,
            "SELECT count(*) FROM rule_work w WHERE NOT EXISTS (SELECT 1 FROM event_archive a"
                + " WHERE a.host = w.event_host AND a.id = w.event_id)"));
    List<Alert> alerts = new AlertQueries(db.dataSource()).list(null, null, 1000, 0);
    List<String> written =
        rows(
                db,
                "SELECT DISTINCT a.path FROM alerts a WHERE a.message = 'etl output written'"
                    + " ORDER BY 1")
            .stream()
            .map(r -> r.get(0))
            .toList();
    assertTrue(written.contains(ETL + "out/rows.csv"), written.toString());
    assertTrue(written.contains(ETL + "out/rows.sorted.gz"), written.toString());
    assertTrue(written.stream().allMatch(p -> p.startsWith(ETL + "out/")), written.toString());
    // Each write-close under out/ raised exactly one alert.
    assertEquals(
        count(
            db,
            "SELECT count(*) FROM file_versions WHERE cause = 'write' AND path LIKE ?",
            ETL + "out/%"),
        alerts.stream().filter(a -> a.message().equals("etl output written")).count());
    List<String> ran = Files.readAllLines(alertLog);
    assertEquals(1, ran.size(), ran.toString());
    assertTrue(ran.get(0).endsWith(",extract ran"), ran.get(0));
    assertEquals(
        1,
        alerts.stream().filter(a -> a.message().equals("extract ran")).count(),
        alerts.toString());
  }
}
