package io.ursprung.plugin.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.EventCodec;
import io.ursprung.events.ProvEvent;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class KafkaSinkTest {

  private final EventCodec codec = new EventCodec();

  private static MockProducer<byte[], byte[]> mock(boolean autoComplete) {
    return new MockProducer<>(autoComplete, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private List<String> ids(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    List<String> out = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> r : records) {
      ProvEvent e = codec.fromBytes(r.value());
      assertEquals(e.host(), new String(r.key(), StandardCharsets.UTF_8), "key is the host");
      out.add(e.id());
    }
    return out;
  }

  @Test
  void sendsKeyedByHostWhenKafkaIsUp(@TempDir Path dir) throws Exception {
    MockProducer<byte[], byte[]> producer = mock(true);
    try (KafkaSink sink =
        new KafkaSink(producer, "auditd", DiskSpool.open(dir, 1 << 20), 10, false)) {
      sink.accept(TestEvents.exit("worker01", 1));
      sink.accept(TestEvents.exit("worker02", 2));
      assertEquals(List.of("worker01:auditd:1:0", "worker02:auditd:2:0"), ids(producer.history()));
      assertEquals("auditd", producer.history().get(0).topic());
      assertEquals(2, sink.stats().sent());
      assertFalse(sink.isSpooling());
    }
  }

  @Test
  void failedSendsGoToTheSpoolAndDrainInOrder(@TempDir Path dir) throws Exception {
    MockProducer<byte[], byte[]> producer = mock(false);
    try (KafkaSink sink =
        new KafkaSink(producer, "auditd", DiskSpool.open(dir, 1 << 20), 10, false)) {
      sink.accept(TestEvents.exit("w", 1));
      sink.accept(TestEvents.exit("w", 2));
      producer.errorNext(new NetworkException("broker gone"));
      producer.errorNext(new NetworkException("broker gone"));
      assertTrue(sink.isSpooling());
      sink.accept(TestEvents.exit("w", 3)); // straight to the spool, behind 1 and 2
      assertEquals(3, sink.stats().spooled());
      assertEquals(3, sink.stats().spoolPending());
      assertEquals(2, producer.history().size(), "3 was never offered to Kafka");

      producer.clear();
      assertTrue(sink.drainOnce()); // MockProducer.flush() completes the batch successfully
      assertEquals(
          List.of("w:auditd:1:0", "w:auditd:2:0", "w:auditd:3:0"), ids(producer.history()));
      assertTrue(sink.isSpooling(), "leaves spooling only after seeing the spool empty");
      assertTrue(sink.drainOnce());
      assertFalse(sink.isSpooling());
      assertEquals(3, sink.stats().sent());
      assertEquals(0, sink.stats().spoolPending());

      producer.clear();
      sink.accept(TestEvents.exit("w", 4));
      producer.completeNext();
      assertEquals(List.of("w:auditd:4:0"), ids(producer.history()));
      assertEquals(4, sink.stats().sent());
    }
  }

  @Test
  void aRecordKafkaCanNeverTakeIsDroppedNotSpooled(@TempDir Path dir) throws Exception {
    MockProducer<byte[], byte[]> producer = mock(false);
    try (KafkaSink sink =
        new KafkaSink(producer, "auditd", DiskSpool.open(dir, 1 << 20), 10, false)) {
      sink.accept(TestEvents.exit("w", 1));
      producer.errorNext(new RecordTooLargeException("too big"));
      assertEquals(1, sink.stats().dropped());
      assertFalse(sink.isSpooling());
    }
  }

  @Test
  void whatDoesNotFitInTheSpoolIsCountedAsDropped(@TempDir Path dir) throws Exception {
    MockProducer<byte[], byte[]> producer = mock(false);
    try (KafkaSink sink =
        new KafkaSink(producer, "auditd", DiskSpool.open(dir, 2048, 1024), 10, false)) {
      sink.accept(TestEvents.exit("w", 0));
      producer.errorNext(new NetworkException("down"));
      for (int i = 1; i < 50; i++) {
        sink.accept(TestEvents.exit("w", i));
      }
      SinkStats s = sink.stats();
      assertEquals(50, s.accepted());
      assertEquals(50, s.spooled() + s.dropped());
      assertTrue(s.dropped() > 0 && s.spooled() > 0, s.toString());
    }
  }

  @Test
  void eventsSpooledByAnEarlierRunGoFirst(@TempDir Path dir) throws Exception {
    MockProducer<byte[], byte[]> down = mock(false);
    try (KafkaSink sink = new KafkaSink(down, "auditd", DiskSpool.open(dir, 1 << 20), 10, false)) {
      sink.accept(TestEvents.exit("w", 1));
      down.errorNext(new NetworkException("down"));
    }
    MockProducer<byte[], byte[]> up = mock(true);
    try (KafkaSink sink = new KafkaSink(up, "auditd", DiskSpool.open(dir, 1 << 20), 10, false)) {
      assertTrue(sink.isSpooling());
      sink.accept(TestEvents.exit("w", 2));
      assertTrue(sink.drainOnce());
      assertTrue(sink.drainOnce());
      assertFalse(sink.isSpooling());
      assertEquals(List.of("w:auditd:1:0", "w:auditd:2:0"), ids(up.history()));
    }
  }

  @Test
  @Timeout(20)
  void spoolsWhenTheBrokerIsUnreachable(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    Map<String, String> fast =
        Map.of(
            "max.block.ms", "300",
            "delivery.timeout.ms", "1500",
            "request.timeout.ms", "1000",
            "linger.ms", "0",
            "reconnect.backoff.max.ms", "100");
    KafkaSink sink =
        KafkaSink.create(
            List.of("127.0.0.1:" + port), fast, "auditd", "test", DiskSpool.open(dir, 1 << 20));
    for (int i = 0; i < 20; i++) {
      sink.accept(TestEvents.exit("w", i));
    }
    sink.close();
    SinkStats s = sink.stats();
    assertEquals(20, s.spooled(), s.toString());
    assertEquals(0, s.sent());
    try (DiskSpool spool = DiskSpool.open(dir, 1 << 20)) {
      DiskSpool.Batch b = spool.peek(100, Long.MAX_VALUE);
      assertEquals(20, b.records().size());
      List<String> ids = new ArrayList<>();
      for (byte[] r : b.records()) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(r);
        byte[] key = new byte[buf.getInt()];
        buf.get(key);
        byte[] value = new byte[buf.remaining()];
        buf.get(value);
        assertEquals("w", new String(key, StandardCharsets.UTF_8));
        ids.add(codec.fromBytes(value).id());
      }
      assertEquals("w:auditd:0:0", ids.get(0));
      assertEquals(20, new java.util.HashSet<>(ids).size());
    }
  }
}
