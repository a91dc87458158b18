package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.EventCodec;
import io.ursprung.events.JobLifecycle;
import io.ursprung.events.ProvEvent;
import io.ursprung.provd.Provd;
import io.ursprung.provd.ProvdConfig;
import io.ursprung.provd.nativeaccess.LinuxNative;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * provd's job record uploader against a real broker: a record owned by the user it names arrives on
 * the jobs topic as a {@code job} event keyed by host and its file is deleted; a record naming
 * someone else is refused, moved aside with its reason, and never published.
 */
@ExtendWith(KafkaExtension.class)
class JobUploaderIT {
  private static final EventCodec CODEC = new EventCodec();

  @TempDir Path dir;

  @Test
  void ownedRecordsArePublishedAndDeletedForgedOnesRefused(TestKafka kafka) throws Exception {
    String topic = kafka.createTopic("jobs", 1);
    Path spool = dir.resolve("spool");
    Path secret = dir.resolve("provd.secret");
    Files.writeString(secret, "job-uploader-it-secret-0123456789");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    // Whoever runs the test owns the files it writes; the record must name that user.
    String me = Files.getOwner(dir).getName();
    String someoneElse = me.equals("nobody") ? "root" : "nobody";

    var cfg =
        ProvdConfig.DEF.parse(
            Map.of(),
            Map.of(),
            Map.of(
                ProvdConfig.HOST,
                "worker-it",
                ProvdConfig.CONTROL_ADDRESS,
                "127.0.0.1",
                ProvdConfig.CONTROL_PORT,
                "0",
                ProvdConfig.SECRET_FILE,
                secret.toString(),
                ProvdConfig.SPOOL_DIR,
                spool.toString(),
                ProvdConfig.SPOOL_RESCAN,
                "200",
                ProvdConfig.JOBS_TOPIC,
                topic,
                ProvdConfig.BOOTSTRAP,
                kafka.bootstrapServers()));
    try (Provd provd = Provd.start(cfg, LinuxNative.load())) {
      Files.createDirectories(spool);
      Files.writeString(spool.resolve(".q.json.tmp"), record(me, "queued"));
      // Writers rename a finished file into place, so the uploader never sees half a record.
      Files.move(spool.resolve(".q.json.tmp"), spool.resolve("q.json"));
      Files.writeString(spool.resolve("forged.json"), record(someoneElse, "finished"));

      List<ProvEvent> got = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(kafka.consumerProperties("it-" + topic))) {
        consumer.subscribe(List.of(topic));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (got.isEmpty() && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            assertEquals("worker-it", new String(r.key(), StandardCharsets.UTF_8));
            got.add(CODEC.fromBytes(r.value()));
          }
        }
        // Give a wrongly published forged record the chance to show up too.
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(2))) {
          got.add(CODEC.fromBytes(r.value()));
        }
      }
      assertEquals(1, got.size(), "only the owned record is published: " + got);
      JobLifecycle job = (JobLifecycle) got.get(0).data();
      assertEquals("queued", job.stage());
      assertEquals(me, job.user());
      assertEquals("c1:slurm:4711", job.jobId());
      assertEquals("4711", job.attributes().get("localJobId"));
      assertEquals("ursprung-provd", got.get(0).producer().name());

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (Files.exists(spool.resolve("q.json")) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertFalse(Files.exists(spool.resolve("q.json")), "deleted after the acknowledgement");
      assertFalse(Files.exists(spool.resolve("forged.json")));
      assertTrue(Files.exists(spool.resolve("rejected/forged.json")));
      String reason = Files.readString(spool.resolve("rejected/forged.json.reason"));
      assertTrue(reason.contains("owner mismatch"), reason);
      assertTrue(provd.metricsLine().contains("uploaded=1 rejected=1"), provd.metricsLine());
    }
  }

  private static String record(String user, String stage) {
    return "{\"format\":\"ursprung-job-record\",\"version\":1,\"jobId\":\"c1:slurm:4711\","
        + "\"stage\":\""
        + stage
        + "\",\"user\":\""
        + user
        + "\",\"time\":\"2026-11-20T09:14:03.512Z\",\"attributes\":{\"localJobId\":\"4711\"}}";
  }
}
