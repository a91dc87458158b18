package io.ursprung.provd;

import io.ursprung.events.EventCodec;
import io.ursprung.events.KafkaKeys;
import io.ursprung.events.ProvEvent;
import io.ursprung.provd.fanotify.FileEventSink;
import io.ursprung.provd.spool.JobPublisher;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * provd's one Kafka producer, shared by file events and job records.
 *
 * <p>Both are keyed by this host ({@link KafkaKeys#keyForHost}): the consumer applies a host's file
 * events in order (open before close, a move's two halves together) and joins them to that host's
 * audit processes, and Kafka keeps order only within a partition; keying by host also matches the
 * auditd plugin and mmwatch streams, so a host's events of every source spread the same way over
 * consumer instances.
 *
 * <p>File events are fire-and-forget with a bounded wait ({@code max.block.ms} 2 s): when the
 * broker is away the send fails and is counted rather than stall the fanotify reader (whose kernel
 * queue would overflow anyway). Job records wait for the acknowledgement before their file goes.
 */
final class KafkaOut implements FileEventSink, JobPublisher, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaOut.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String fileTopic;
  private final String jobTopic;
  private final EventCodec codec = new EventCodec();
  final AtomicLong sendErrors = new AtomicLong();

  KafkaOut(
      String bootstrap,
      Map<String, String> passThrough,
      String clientId,
      String fileTopic,
      String jobTopic) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
    p.putAll(passThrough);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(p);
    this.fileTopic = fileTopic;
    this.jobTopic = jobTopic;
  }

  @Override
  public void publish(String host, byte[] json) {
    try {
      producer.send(
          new ProducerRecord<>(fileTopic, KafkaKeys.keyForHost(host), json),
          (meta, e) -> {
            if (e != null) {
              failed(e);
            }
          });
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private void failed(Exception e) {
    long n = sendErrors.incrementAndGet();
    if (n == 1 || Long.bitCount(n) == 1) {
      LOG.warn("file event not delivered to Kafka ({} so far): {}", n, e.toString());
    }
  }

  @Override
  public CompletableFuture<Void> publish(ProvEvent event) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      producer.send(
          new ProducerRecord<>(jobTopic, KafkaKeys.keyFor(event), codec.toBytes(event)),
          (meta, e) -> {
            if (e == null) {
              done.complete(null);
            } else {
              done.completeExceptionally(e);
            }
          });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
