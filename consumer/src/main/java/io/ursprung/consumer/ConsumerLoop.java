package io.ursprung.consumer;

import io.ursprung.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume-store-commit loop, the same for every source.
 *
 * <ol>
 *   <li>Poll messages until the batch holds {@code batch.size} events or its first event has waited
 *       {@code batch.max.wait.ms}.
 *   <li>Map each message; one that cannot be read goes to {@code <topic>.dlq} with the reason in
 *       the header {@value #REASON_HEADER}.
 *   <li>Write the batch in one transaction. If the database rejects the batch because of its data,
 *       write the messages one by one and dead-letter those it rejects.
 *   <li>Only then commit the offsets. A crash anywhere before re-delivers the batch, which the
 *       idempotent writes turn into a no-op; nothing is lost and nothing doubled.
 * </ol>
 *
 * While Kafka or PostgreSQL is unavailable the loop retries the failed step with exponential
 * backoff; configuration and authentication errors end it with {@link FatalException}.
 *
 * <p><b>Pipelined</b> (setting {@code pipeline}, given a second handler): steps 3 and 4 of a batch
 * run on a writer thread while this thread polls and maps the next batch into the other handler. At
 * most one batch is being written; a batch's offsets are committed, on this thread, only after its
 * own database commit, and batches are written and committed in order, so a crash re-delivers
 * exactly what a sequential loop would. Why: on the bulk capture the consumer's own work (decoding,
 * mapping) and PostgreSQL's (inserting) took turns on the same cores; now they overlap.
 */
public final class ConsumerLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

  /** Header carrying why a message was dead-lettered. */
  public static final String REASON_HEADER = "ursprung.dlq.reason";

  /** A failure only an operator can fix. */
  public static final class FatalException extends RuntimeException {
    FatalException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final ConsumerSettings settings;
  private SourceHandler handler;
  // Pipelined: the handler of the batch being written while the next one is mapped; else null.
  private SourceHandler spare;
  private final ExecutorService writer;
  private InFlight inFlight;
  private final Metrics metrics;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> dlqProducer;
  private final List<ConsumerRecord<byte[], byte[]>> pending = new ArrayList<>();
  private long firstPendingNanos;
  private volatile boolean running = true;
  private long lastMetricsNanos = System.nanoTime();
  private long lastMetricsEvents;
  private final StatusReporter status;
  // The first report goes out at the first turn of the loop, so the instance shows at once.
  private long lastStatusNanos = Long.MIN_VALUE;

  public ConsumerLoop(ConsumerSettings settings, SourceHandler handler, Metrics metrics) {
    this(settings, handler, metrics, null);
  }

  /**
   * With {@code status}: the instance reports to {@code consumer_status} every {@code
   * status.interval.ms} and once at shutdown.
   */
  public ConsumerLoop(
      ConsumerSettings settings, SourceHandler handler, Metrics metrics, StatusReporter status) {
    this(settings, handler, null, metrics, status);
  }

  /**
   * With a second handler of the same source ({@code spare}, not null) and {@code pipeline} set:
   * the loop is pipelined (see above), the two handlers taking turns. Only for handlers that keep
   * nothing from one batch to the next.
   */
  public ConsumerLoop(
      ConsumerSettings settings,
      SourceHandler handler,
      SourceHandler spare,
      Metrics metrics,
      StatusReporter status) {
    this.settings = settings;
    this.handler = handler;
    this.spare = settings.pipeline() ? spare : null;
    this.writer =
        this.spare == null
            ? null
            : Executors.newSingleThreadExecutor(
                r -> {
                  Thread t =
                      new Thread(r, "ursprung-consumer-writer-" + settings.source().cliName());
                  t.setDaemon(true);
                  return t;
                });
    this.metrics = metrics;
    this.status = status;
    this.consumer = new KafkaConsumer<>(consumerProperties(settings));
    this.dlqProducer = new KafkaProducer<>(producerProperties(settings));
  }

  static Properties consumerProperties(ConsumerSettings s) {
    Properties p = new Properties();
    p.putAll(s.kafkaProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", s.bootstrapServers()));
    p.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
    // Offsets move only after the database commit, never on a timer.
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.putIfAbsent(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.min(s.batchSize(), 5000)));
    // Partitions are keyed by host, so a topic usually has partitions without new data. A fetch
    // for those waits fetch.max.wait.ms (Kafka's default 500 ms) at the broker, and while it is
    // out no other fetch goes to that broker: the partitions that do have data wait too, once per
    // fetch. Measured on the bulk capture (docs/performance.md): batch 2,000 ran at 4,363 events/s
    // with the default and 18,810 with 50 ms. An idle consumer then asks every 50 ms instead of
    // every 500, which costs the broker next to nothing.
    p.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
    // A database outage keeps us away from poll(); stay in the group for a while meanwhile.
    p.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "900000");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ursprung-consumer-" + s.source().cliName());
    return p;
  }

  static Properties producerProperties(ConsumerSettings s) {
    Properties p = new Properties();
    p.putAll(s.kafkaProperties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", s.bootstrapServers()));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "ursprung-consumer-dlq-" + s.source().cliName());
    return p;
  }

  /** Runs until {@link #stop()} or a fatal failure. */
  public void run() {
    try {
      consumer.subscribe(List.of(settings.topic()), new Rebalance());
      LOG.info(
          "consuming {} from {} as group {} (dead letters to {})",
          settings.source().cliName(),
          settings.topic(),
          settings.groupId(),
          settings.deadLetterTopic());
      while (running) {
        long waitMs = settings.batchMaxWait().toMillis();
        if (!pending.isEmpty()) {
          waitMs =
              Math.max(
                  0, waitMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstPendingNanos));
        }
        try {
          for (ConsumerRecord<byte[], byte[]> r :
              consumer.poll(Duration.ofMillis(Math.min(waitMs, 200)))) {
            if (pending.isEmpty()) {
              firstPendingNanos = System.nanoTime();
            }
            pending.add(r);
          }
        } catch (WakeupException e) {
          break;
        } catch (RuntimeException e) {
          handleKafka(e, "poll");
          continue;
        }
        boolean full = pending.size() >= settings.batchSize();
        boolean waited =
            !pending.isEmpty()
                && System.nanoTime() - firstPendingNanos >= settings.batchMaxWait().toNanos();
        if (full || waited) {
          flush();
        }
        if (inFlight != null && inFlight.result.isDone()) {
          completeWrite();
        }
        logMetrics(false);
        reportStatus();
      }
      if (!pending.isEmpty()) {
        flush();
      }
      completeWrite();
      logMetrics(true);
    } finally {
      if (writer != null) {
        writer.shutdownNow();
      }
      if (status != null) {
        if (!settings.statusInterval().isZero()) {
          status.finish(measureLag());
        }
        status.close();
      }
      closeQuietly();
    }
  }

  /** Asks the loop to finish its batch and stop; safe from any thread. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  @Override
  public void close() {
    stop();
  }

  private void closeQuietly() {
    try {
      consumer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.debug("closing the consumer: {}", e.toString());
    }
    dlqProducer.close(Duration.ofSeconds(5));
  }

  private void handleKafka(RuntimeException e, String step) {
    if (Failures.classify(e) == Failures.Kind.FATAL) {
      throw new FatalException(
          "Kafka " + step + " failed: " + e.getMessage() + ". " + Failures.advice(e), e);
    }
    LOG.warn("Kafka {} failed, will retry: {}", step, e.toString());
    metrics.retries.incrementAndGet();
    sleep(1000);
  }

  /** One batch's messages and what became of them. */
  private static final class Batch {
    final List<ConsumerRecord<byte[], byte[]>> records;
    final List<ConsumerRecord<byte[], byte[]>> good;
    final List<DeadLetter> dead = new ArrayList<>();
    final long startNanos = System.nanoTime();
    // Whether the handler holds the batch's rows now; a retried write maps it again.
    boolean mapped;

    Batch(List<ConsumerRecord<byte[], byte[]>> records) {
      this.records = records;
      this.good = new ArrayList<>(records.size());
    }
  }

  /** The batch on the writer thread. */
  private record InFlight(Batch batch, Future<Integer> result) {}

  /**
   * Takes the pending messages as a batch: writes them, dead-letters the bad ones, then commits
   * their offsets. Pipelined: maps them here, waits for the batch before (and commits its offsets),
   * and hands this one to the writer thread.
   */
  private void flush() {
    Batch batch = new Batch(new ArrayList<>(pending));
    pending.clear();
    if (spare == null) {
      int stored = store(handler, batch);
      commit(offsets(batch));
      metrics.batch(stored, System.nanoTime() - batch.startNanos);
      return;
    }
    map(handler, batch);
    // The COPY data too is made here: the writer thread then only waits for PostgreSQL.
    handler.prepare();
    completeWrite();
    SourceHandler h = handler;
    inFlight = new InFlight(batch, writer.submit(() -> store(h, batch)));
    handler = spare;
    spare = h;
  }

  /** Waits for the batch on the writer thread, if any, and commits its offsets. */
  private void completeWrite() {
    if (inFlight == null) {
      return;
    }
    InFlight w = inFlight;
    int stored;
    try {
      stored = waitFor(w.result());
    } finally {
      inFlight = null;
    }
    commit(offsets(w.batch()));
    metrics.batch(stored, System.nanoTime() - w.batch().startNanos);
  }

  /** The result of the writer thread's work; its failure, as this thread's. */
  private static int waitFor(Future<Integer> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          // The write goes on either way; its offsets must not be committed before it ends.
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof FatalException fatal) {
            throw fatal;
          }
          throw new FatalException("writing a batch failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> offsets(Batch batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : batch.records) {
      offsets.merge(
          new TopicPartition(r.topic(), r.partition()),
          new OffsetAndMetadata(r.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    return offsets;
  }

  /** Writes a batch with {@code h} (mapping it first unless it is), then its dead letters. */
  private int store(SourceHandler h, Batch batch) {
    int stored = retrying("write to PostgreSQL", () -> writeBatch(h, batch));
    if (!batch.dead.isEmpty()) {
      retrying("send to " + settings.deadLetterTopic(), () -> sendDeadLetters(batch.dead));
    }
    return stored;
  }

  private record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reason) {}

  /** Adds a batch's messages to {@code h}; those it cannot read become dead letters. */
  private static void map(SourceHandler h, Batch batch) {
    h.reset();
    batch.dead.clear();
    batch.good.clear();
    for (ConsumerRecord<byte[], byte[]> r : batch.records) {
      try {
        h.add(r.key(), r.value(), r.topic(), r.partition(), r.offset());
        batch.good.add(r);
      } catch (MalformedEventException | RuntimeException e) {
        batch.dead.add(new DeadLetter(r, reason(e)));
      }
    }
    batch.mapped = true;
  }

  /** Writes a batch; returns the number of events stored. */
  private static int writeBatch(SourceHandler handler, Batch batch) throws SQLException {
    if (!batch.mapped) {
      map(handler, batch);
    }
    // A failed attempt maps the batch again: the handler forgets it either way.
    batch.mapped = false;
    List<ConsumerRecord<byte[], byte[]>> good = batch.good;
    List<DeadLetter> dead = batch.dead;
    try {
      handler.write();
      return handler.events();
    } catch (SQLException | RuntimeException e) {
      if (Failures.classify(e) != Failures.Kind.DATA) {
        throw e;
      }
      LOG.warn(
          "the database rejected a batch ({}); writing its {} events one by one",
          e.toString(),
          good.size());
    } finally {
      handler.reset();
    }
    int stored = 0;
    for (ConsumerRecord<byte[], byte[]> r : good) {
      try {
        handler.add(r.key(), r.value(), r.topic(), r.partition(), r.offset());
        handler.write();
        stored += handler.events();
      } catch (MalformedEventException e) {
        dead.add(new DeadLetter(r, reason(e)));
      } catch (SQLException | RuntimeException e) {
        if (Failures.classify(e) != Failures.Kind.DATA) {
          throw e;
        }
        dead.add(new DeadLetter(r, "rejected by the database: " + e.getMessage()));
      } finally {
        handler.reset();
      }
    }
    return stored;
  }

  private static String reason(Exception e) {
    String m = e.getMessage();
    return e instanceof MalformedEventException ? m : e.getClass().getSimpleName() + ": " + m;
  }

  private int sendDeadLetters(List<DeadLetter> dead) throws Exception {
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    for (DeadLetter d : dead) {
      ProducerRecord<byte[], byte[]> pr =
          new ProducerRecord<>(settings.deadLetterTopic(), d.record().key(), d.record().value());
      pr.headers().add(REASON_HEADER, d.reason().getBytes(StandardCharsets.UTF_8));
      pr.headers().add("ursprung.dlq.topic", d.record().topic().getBytes(StandardCharsets.UTF_8));
      pr.headers()
          .add(
              "ursprung.dlq.partition",
              String.valueOf(d.record().partition()).getBytes(StandardCharsets.UTF_8));
      pr.headers()
          .add(
              "ursprung.dlq.offset",
              String.valueOf(d.record().offset()).getBytes(StandardCharsets.UTF_8));
      sent.add(dlqProducer.send(pr));
    }
    for (java.util.concurrent.Future<?> f : sent) {
      try {
        f.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof Exception c ? c : e;
      }
    }
    for (DeadLetter d : dead) {
      LOG.warn(
          "dead-lettered {}-{}@{}: {}",
          d.record().topic(),
          d.record().partition(),
          d.record().offset(),
          d.reason());
    }
    metrics.deadLettered.addAndGet(dead.size());
    return dead.size();
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    long backoff = 100;
    while (true) {
      try {
        consumer.commitSync(offsets, Duration.ofSeconds(30));
        return;
      } catch (CommitFailedException | RebalanceInProgressException e) {
        // We were out of the group (a long outage); the partitions may be someone else's now.
        // The batch is stored, so re-reading it is harmless: rewind to what the group committed.
        LOG.warn("offset commit refused ({}); rewinding to the committed offsets", e.getMessage());
        rewind();
        return;
      } catch (WakeupException e) {
        running = false; // finish this commit first, then stop
      } catch (RuntimeException e) {
        if (Failures.classify(e) == Failures.Kind.FATAL) {
          throw new FatalException(
              "offset commit failed: " + e.getMessage() + ". " + Failures.advice(e), e);
        }
        LOG.warn("offset commit failed, retrying in {} ms: {}", backoff, e.toString());
        metrics.retries.incrementAndGet();
        sleep(backoff);
        backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
      }
    }
  }

  private void rewind() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
      for (TopicPartition tp : consumer.assignment()) {
        OffsetAndMetadata o = committed.get(tp);
        if (o != null) {
          consumer.seek(tp, o.offset());
        } else {
          consumer.seekToBeginning(List.of(tp));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot rewind ({}); the next rebalance will", e.toString());
    }
  }

  @FunctionalInterface
  private interface Step<T> {
    T run() throws Exception;
  }

  /** Runs a step until it succeeds, pausing with backoff; fatal failures end the loop. */
  private <T> T retrying(String what, Step<T> step) {
    long backoff = 100;
    while (true) {
      try {
        return step.run();
      } catch (Exception e) {
        Failures.Kind kind = Failures.classify(e);
        if (kind == Failures.Kind.FATAL) {
          throw new FatalException(
              what + " failed: " + e.getMessage() + ". " + Failures.advice(e), e);
        }
        if (!running) {
          throw new FatalException(
              "stopped before " + what + " succeeded; the batch will be read again", e);
        }
        LOG.warn("{} failed, retrying in {} ms: {}", what, backoff, e.toString());
        metrics.retries.incrementAndGet();
        sleep(backoff);
        backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FatalException("interrupted", e);
    }
  }

  /** Reports to consumer_status when the status interval has passed (0: never). */
  private void reportStatus() {
    long interval = settings.statusInterval().toNanos();
    long now = System.nanoTime();
    if (status == null
        || interval <= 0
        || (lastStatusNanos != Long.MIN_VALUE && now - lastStatusNanos < interval)) {
      return;
    }
    lastStatusNanos = now;
    status.report(measureLag());
  }

  /**
   * Messages behind the end of the assigned partitions, from the consumer's view of the high
   * watermarks (no request to the broker), plus those polled but not stored yet; -1 when no
   * partition's lag is known yet. Stored in the metrics.
   */
  private long measureLag() {
    long lag = 0;
    boolean known = false;
    try {
      for (TopicPartition tp : consumer.assignment()) {
        OptionalLong l = consumer.currentLag(tp);
        if (l.isPresent()) {
          lag += l.getAsLong();
          known = true;
        }
      }
    } catch (RuntimeException e) {
      // Lag is informative only.
    }
    int unstored = pending.size() + (inFlight == null ? 0 : inFlight.batch().records.size());
    metrics.lag = known ? lag + unstored : -1;
    return metrics.lag;
  }

  private void logMetrics(boolean force) {
    long now = System.nanoTime();
    long elapsed = now - lastMetricsNanos;
    if (!force && elapsed < settings.metricsInterval().toNanos()) {
      return;
    }
    measureLag();
    long events = metrics.events();
    long batches = Math.max(1, metrics.batches());
    LOG.info(
        "events/s {} | events {} | batches {} | batch latency avg {} ms max {} ms | lag {} |"
            + " dead-lettered {} | retries {}",
        String.format("%.0f", (events - lastMetricsEvents) * 1e9 / Math.max(1, elapsed)),
        events,
        metrics.batches(),
        TimeUnit.NANOSECONDS.toMillis(metrics.batchNanos.get() / batches),
        TimeUnit.NANOSECONDS.toMillis(metrics.maxBatchNanos.get()),
        metrics.lag,
        metrics.deadLettered(),
        metrics.retries());
    lastMetricsNanos = now;
    lastMetricsEvents = events;
  }

  /** Stores what we hold before partitions move to another instance. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!pending.isEmpty()) {
        flush();
      }
      completeWrite();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("assigned {}", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Not ours any more and not committable: the new owner re-reads them. A batch being written
      // ends first (its rows are idempotent); its offsets are not committed.
      if (inFlight != null) {
        InFlight w = inFlight;
        inFlight = null;
        waitFor(w.result());
      }
      pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
    }
  }
}
