package io.ursprung.plugin.sink;

import io.ursprung.events.EventCodec;
import io.ursprung.events.KafkaKeys;
import io.ursprung.events.ProvEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to Kafka, keyed by host, and spools them on disk while Kafka is unreachable.
 *
 * <p><b>Why the key is the host</b> ({@link KafkaKeys#keyFor}): one host's events must be consumed
 * in the order they happened (a process starts before it execs, opens before it closes), and Kafka
 * orders only within a partition. All events of this plugin carry the host they happened on
 * (audit's {@code node=} or the configured fallback), so they land in one partition, in order,
 * while other hosts spread over the other partitions and consumer instances. It is also the
 * distribution column of the graph tables, so a consumer batch touches one shard per host.
 *
 * <p><b>Producer settings</b> ({@link #producerConfig}): idempotence with {@code acks=all} and at
 * most 5 requests in flight keeps per-partition order across retries without duplicates; lz4
 * because it is the cheapest codec on the worker's CPU (the jobs' CPU) for JSON that compresses
 * well; 20 ms linger and 256 KiB batches because a busy host emits tens of thousands of small
 * events a second. {@code max.block.ms} is short (1 s) so that an unreachable broker or a full
 * buffer costs the processing thread one second once, after which events go to the spool.
 *
 * <p><b>Spooling</b>: when a send fails (time-out, broker down, buffer full) the event goes to the
 * {@link DiskSpool}; while the spool is not empty every new event goes there too, so that order is
 * kept, and a background thread drains it in order (in batches, committing only what Kafka
 * acknowledged) with exponential back-off. The exception to order: events already in the producer's
 * buffer when the broker went away fail later, one by one, and reach the spool after some events
 * that were spooled directly; consumers must tolerate that short reordering (they key on event ids,
 * which are deterministic). A record Kafka can never take (too large) and events that do not fit in
 * the spool are counted as dropped and logged. Records in the producer's memory are lost on {@code
 * kill -9}; a clean stop (SIGTERM) flushes them or spools them.
 */
public final class KafkaSink implements EventSink {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
  private static final int DRAIN_BATCH_RECORDS = 2000;
  private static final long DRAIN_BATCH_BYTES = 4L << 20;
  private static final long MAX_BACKOFF_MILLIS = 30_000;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final DiskSpool spool;
  private final EventCodec codec = new EventCodec();
  private final Object lock = new Object();
  private final long initialBackoffMillis;
  private final Thread drainer;

  private volatile boolean spooling;
  private volatile boolean closed;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final RateLimitedLog dropLog = new RateLimitedLog(LOG, 10_000);

  /**
   * A sink with a real Kafka producer.
   *
   * @param bootstrapServers {@code host:port} list
   * @param extra Kafka client properties that override the defaults (SASL, TLS, time-outs)
   */
  public static KafkaSink create(
      List<String> bootstrapServers,
      Map<String, String> extra,
      String topic,
      String clientId,
      DiskSpool spool) {
    Map<String, Object> props = producerConfig(bootstrapServers, extra, clientId);
    return new KafkaSink(
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()),
        topic,
        spool,
        500,
        true);
  }

  /**
   * @param initialBackoffMillis first wait before retrying the spool after a failure
   * @param backgroundDrain whether a thread drains the spool (tests call {@link #drainOnce})
   */
  KafkaSink(
      Producer<byte[], byte[]> producer,
      String topic,
      DiskSpool spool,
      long initialBackoffMillis,
      boolean backgroundDrain) {
    this.producer = producer;
    this.topic = topic;
    this.spool = spool;
    this.initialBackoffMillis = initialBackoffMillis;
    // Events left by an earlier run go first.
    this.spooling = !spool.isEmpty();
    if (backgroundDrain) {
      drainer = new Thread(this::drainLoop, "ursprung-spool-drain");
      drainer.setDaemon(true);
      drainer.start();
    } else {
      drainer = null;
    }
  }

  /** The producer properties: our defaults, then {@code extra} on top. */
  public static Map<String, Object> producerConfig(
      List<String> bootstrapServers, Map<String, String> extra, String clientId) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", bootstrapServers));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
    // Fail a delivery after 30 s (default 2 min) so that events reach the spool while the
    // producer's buffer still has room for the ones behind them.
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.putAll(extra);
    return p;
  }

  @Override
  public void accept(ProvEvent event) {
    accepted.incrementAndGet();
    byte[] key = KafkaKeys.keyFor(event);
    byte[] value = codec.toBytes(event);
    if (spooling) {
      synchronized (lock) {
        if (spooling) {
          toSpool(key, value, null);
          return;
        }
      }
    }
    try {
      producer.send(
          new ProducerRecord<>(topic, key, value),
          (RecordMetadata md, Exception e) -> {
            if (e == null) {
              sent.incrementAndGet();
            } else {
              failed(key, value, e);
            }
          });
    } catch (KafkaException e) {
      // Buffer exhausted or metadata time-out thrown synchronously; an interrupt during close.
      failed(key, value, e);
    }
  }

  private void failed(byte[] key, byte[] value, Exception e) {
    if (e instanceof RecordTooLargeException || e instanceof InvalidTopicException) {
      // Permanent for this record: no retry will ever get it in.
      dropped.incrementAndGet();
      dropLog.error("dropped an event Kafka cannot take: {}", e.toString());
      return;
    }
    synchronized (lock) {
      if (!spooling) {
        LOG.warn("Kafka unreachable ({}): spooling events to {}", e.toString(), spool.directory());
        spooling = true;
        lock.notifyAll();
      }
      toSpool(key, value, e);
    }
  }

  /** Called with {@link #lock} held. */
  private void toSpool(byte[] key, byte[] value, Exception cause) {
    ByteBuffer rec = ByteBuffer.allocate(4 + key.length + value.length);
    rec.putInt(key.length).put(key).put(value);
    try {
      if (spool.append(rec.array())) {
        spooled.incrementAndGet();
        return;
      }
      dropped.incrementAndGet();
      dropLog.error(
          "spool {} is full ({} bytes): dropped an event (total dropped {})",
          spool.directory(),
          spool.sizeBytes(),
          dropped.get());
    } catch (IOException | IllegalStateException e) {
      dropped.incrementAndGet();
      dropLog.error("cannot write the spool {}: dropped an event: {}", spool.directory(), e);
    }
  }

  private void drainLoop() {
    long backoff = initialBackoffMillis;
    while (!closed) {
      try {
        synchronized (lock) {
          while (!spooling && !closed) {
            lock.wait(1000);
          }
        }
        if (closed) {
          return;
        }
        if (drainOnce()) {
          backoff = initialBackoffMillis;
        } else {
          Thread.sleep(backoff);
          backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("spool drain failed; retrying", e);
      }
    }
  }

  /**
   * Sends one batch from the spool and waits for Kafka's answer; commits it when all of it was
   * acknowledged. Leaves spooling mode when the spool is empty.
   *
   * @return true when progress was made (or there was nothing to do), false after a failure
   */
  boolean drainOnce() throws InterruptedException {
    DiskSpool.Batch batch;
    try {
      synchronized (lock) {
        batch = spool.peek(DRAIN_BATCH_RECORDS, DRAIN_BATCH_BYTES);
        if (batch.isEmpty()) {
          if (spooling) {
            spooling = false;
            LOG.info("spool drained: sending events to Kafka directly again");
          }
          return true;
        }
      }
    } catch (IOException e) {
      LOG.error("cannot read the spool {}", spool.directory(), e);
      return false;
    }
    List<Future<RecordMetadata>> futures = new ArrayList<>(batch.records().size());
    try {
      for (byte[] rec : batch.records()) {
        ByteBuffer b = ByteBuffer.wrap(rec);
        byte[] key = new byte[b.getInt()];
        b.get(key);
        byte[] value = new byte[b.remaining()];
        b.get(value);
        futures.add(producer.send(new ProducerRecord<>(topic, key, value)));
      }
      producer.flush();
      for (Future<RecordMetadata> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } catch (ExecutionException | KafkaException | java.util.concurrent.TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      LOG.warn(
          "Kafka still unreachable ({}); {} events wait in the spool",
          cause.toString(),
          spool.pending());
      return false;
    }
    try {
      synchronized (lock) {
        spool.commit(batch);
      }
    } catch (IOException e) {
      // The batch was sent; it will be sent again after a restart (same ids, consumers dedupe).
      LOG.error("cannot record the spool read position in {}", spool.directory(), e);
    }
    sent.addAndGet(batch.records().size());
    return true;
  }

  /** Whether new events currently go to the spool. */
  public boolean isSpooling() {
    return spooling;
  }

  @Override
  public void flush() {
    try {
      producer.flush();
    } catch (KafkaException e) {
      LOG.warn("flush failed: {}", e.toString());
    }
    try {
      spool.flush();
    } catch (IOException e) {
      LOG.error("cannot force the spool {} to disk", spool.directory(), e);
    }
  }

  @Override
  public SinkStats stats() {
    return new SinkStats(
        accepted.get(),
        sent.get(),
        spooled.get(),
        dropped.get(),
        spool.pending(),
        spool.sizeBytes());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    flush();
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    if (drainer != null) {
      drainer.interrupt();
      try {
        drainer.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Whatever the producer still holds fails into the spool through the callbacks.
    producer.close(Duration.ofSeconds(5));
    synchronized (lock) {
      try {
        long left = spool.pending();
        if (left > 0) {
          LOG.warn(
              "{} events remain in the spool {}; the next start sends them",
              left,
              spool.directory());
        }
        spool.close();
      } catch (IOException e) {
        LOG.error("cannot close the spool {}", spool.directory(), e);
      }
    }
  }
}
