package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ursprung.db.EventArchive;
import io.ursprung.events.EventCodec;
import io.ursprung.events.FileAccess;
import io.ursprung.events.KafkaKeys;
import io.ursprung.events.ProcessExec;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The example to copy when writing an integration test. It walks one small stream of provenance
 * events through the real services: a Kafka broker running in this JVM and the machine's
 * PostgreSQL, in a database made for this class alone.
 *
 * <p>Two extensions do the set-up: {@link KafkaExtension} hands us the broker ({@link TestKafka})
 * and {@link PostgresExtension} a fresh database with every migration applied ({@link
 * TestDatabase}). Neither needs Docker.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
class ExampleEventPipelineIT {

  private static final EventCodec CODEC = new EventCodec();
  private static final Producer PRODUCER = new Producer("example-it", "1");

  @Test
  void eventsTravelFromKafkaIntoTheStoreAndBack(TestKafka kafka, TestDatabase db) throws Exception {
    // 1. Every test makes its own topic, so tests never see each other's messages.
    String topic = kafka.createTopic("auditd", 2);

    // 2. Three events of one process on host worker01, as the auditd plugin would emit them.
    Instant t0 = Instant.parse("2026-11-20T09:14:03.512Z");
    ProcessRef proc = new ProcessRef(40213, t0);
    List<ProvEvent> sent =
        List.of(
            ProvEvent.of(
                "worker01:auditd:1:0",
                PRODUCER,
                "worker01",
                t0,
                new ProcessStarted(
                    proc, null, 40190, null, null, null, "/home/bob", null, null, "clone")),
            ProvEvent.of(
                "worker01:auditd:2:0",
                PRODUCER,
                "worker01",
                t0.plusMillis(3),
                new ProcessExec(
                    proc,
                    "/usr/bin/sort",
                    null,
                    null,
                    List.of("sort", "in.csv"),
                    "/home/bob",
                    null,
                    "execve")),
            ProvEvent.of(
                "worker01:auditd:3:0",
                PRODUCER,
                "worker01",
                t0.plusMillis(5),
                new FileAccess(
                    proc,
                    FileAccess.Op.OPEN,
                    "/home/bob/in.csv",
                    42L,
                    "fe:01",
                    3,
                    "0x0",
                    true,
                    false,
                    false,
                    false,
                    null,
                    null,
                    "file")));

    // 3. Publish them the way every Ursprung producer does: key = host, value = JSON.
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerProperties())) {
      for (ProvEvent e : sent) {
        producer.send(new ProducerRecord<>(topic, KafkaKeys.keyFor(e), CODEC.toBytes(e))).get();
      }
    }

    // 4. Consume them in a consumer group, decode, and store them in PostgreSQL.
    EventArchive archive = new EventArchive(db.dataSource(), CODEC);
    List<ProvEvent> received = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(kafka.consumerProperties("example-" + topic))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.size() < sent.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          assertEquals("worker01", new String(r.key(), StandardCharsets.UTF_8));
          received.add(CODEC.fromBytes(r.value()));
        }
      }
      // Store first, commit the offsets second: a crash in between re-delivers, never loses.
      archive.insert(received);
      consumer.commitSync();
    }
    assertEquals(sent.size(), received.size(), "all events arrive");

    // 5. Storing the same batch again changes nothing: writes are idempotent by event id.
    assertEquals(0, archive.insert(received));
    assertEquals(sent.size(), archive.count());

    // 6. Read back: same events, same order, same millisecond times.
    assertEquals(sent, archive.byHost("worker01", 100));
  }
}
