package io.ursprung.consumer;

import io.ursprung.config.LocalHost;
import io.ursprung.db.status.ConsumerStatus;
import io.ursprung.db.status.IngestStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a consumer instance's status row ({@code consumer_status}, docs/operations.md) for the
 * dashboard. The loop hands over a snapshot; the write happens on this reporter's own thread in its
 * own short transaction, so that a slow or unreachable database delays the report and never a
 * batch. A report still being written when the next is due makes the next one skipped, not queued.
 * Failures are logged (rate-limited) and counted, never fatal.
 *
 * <p>The reporter knows nothing of Kafka: a consumer hands it its labels and its {@link Counters},
 * so that the Kafka loop and the CamFlow (MQTT) consumer report the same way.
 */
public final class StatusReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
  private static final long FINAL_WAIT_SECONDS = 10;

  /**
   * What a consumer counts, read when a report is made (from the consumer's thread), and where the
   * reporter's own outcomes are counted.
   */
  public interface Counters {
    /** Events (or, for CamFlow, packets) stored since start. */
    long events();

    /** Transactions committed since start. */
    long batches();

    /** Input set aside as unusable since start (dead-letter topic or table). */
    long deadLettered();

    /** Latency of the last batch in nanoseconds, -1 before the first. */
    long lastBatchNanos();

    /** A status row was written. */
    default void statusWritten() {}

    /** A status write failed. */
    default void statusFailed() {}

    /** A report was skipped because the previous one was still being written. */
    default void statusSkipped() {}
  }

  private final IngestStatus store;
  private final String source;
  private final String topic;
  private final String group;
  private final Counters counters;
  private final Clock clock;
  private final String hostName;
  private final String instanceId;
  private final Instant started;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicLong failures = new AtomicLong();
  private final ExecutorService writer;
  private long lastEvents;
  private long lastNanos = System.nanoTime();
  private long lastFailureLog;

  /** A Kafka consumer's reporter: source, topic and group from its settings. */
  public StatusReporter(
      IngestStatus store, ConsumerSettings settings, Metrics metrics, Clock clock) {
    this(
        store,
        settings.source().cliName(),
        settings.topic(),
        settings.groupId(),
        new MetricsCounters(metrics),
        clock);
  }

  /**
   * A reporter for any consumer.
   *
   * @param source the {@code source} column (auditd, scale, jobs, camflow)
   * @param topic what the instance reads (a Kafka topic, an MQTT topic filter)
   * @param group the Kafka consumer group, or what stands for it (the MQTT client id)
   */
  public StatusReporter(
      IngestStatus store,
      String source,
      String topic,
      String group,
      Counters counters,
      Clock clock) {
    this.store = store;
    this.source = source;
    this.topic = topic;
    this.group = group;
    this.counters = counters;
    this.clock = clock;
    this.started = clock.instant();
    this.hostName = localHostName();
    this.instanceId =
        hostName
            + "/"
            + source
            + "/"
            + ProcessHandle.current().pid()
            + "-"
            + Long.toString(started.toEpochMilli(), 36);
    String threadName = "consumer-status-" + source;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /** The Kafka loop's {@link Metrics} as counters. */
  private record MetricsCounters(Metrics m) implements Counters {
    @Override
    public long events() {
      return m.events();
    }

    @Override
    public long batches() {
      return m.batches();
    }

    @Override
    public long deadLettered() {
      return m.deadLettered();
    }

    @Override
    public long lastBatchNanos() {
      return m.lastBatchNanos;
    }

    @Override
    public void statusWritten() {
      m.statusWrites.incrementAndGet();
    }

    @Override
    public void statusFailed() {
      m.statusFailures.incrementAndGet();
    }

    @Override
    public void statusSkipped() {
      m.statusSkipped.incrementAndGet();
    }
  }

  /** This instance's id in {@code consumer_status}. */
  public String instanceId() {
    return instanceId;
  }

  /**
   * Takes a snapshot now and writes it in the background; skipped while the previous report is
   * still being written. Called from the consumer loop's thread.
   *
   * @param lag messages behind, or -1 when not known or not a thing (MQTT has no lag)
   */
  public void report(long lag) {
    ConsumerStatus s = snapshot(lag, true);
    if (!busy.compareAndSet(false, true)) {
      counters.statusSkipped();
      return;
    }
    try {
      writer.execute(
          () -> {
            try {
              write(s);
            } finally {
              busy.set(false);
            }
          });
    } catch (RuntimeException e) {
      busy.set(false);
      failures.incrementAndGet();
      counters.statusFailed();
    }
  }

  /**
   * The final report (running = false), waited for a few seconds at most: shutdown must not hang on
   * an unreachable database.
   */
  public void finish(long lag) {
    ConsumerStatus s = snapshot(lag, false);
    try {
      Future<?> f = writer.submit(() -> write(s));
      f.get(FINAL_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("the final consumer status was not written: {}", e.toString());
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
  }

  private ConsumerStatus snapshot(long lag, boolean running) {
    long now = System.nanoTime();
    long events = counters.events();
    double perSecond = (events - lastEvents) * 1e9 / Math.max(1, now - lastNanos);
    lastEvents = events;
    lastNanos = now;
    long lastBatch = counters.lastBatchNanos();
    return new ConsumerStatus(
        instanceId,
        source,
        topic,
        group,
        hostName,
        started,
        clock.instant(),
        running,
        events,
        counters.batches(),
        counters.deadLettered(),
        perSecond,
        lag < 0 ? null : lag,
        lastBatch < 0 ? null : lastBatch / 1e6);
  }

  private void write(ConsumerStatus s) {
    try {
      store.upsert(s);
      counters.statusWritten();
    } catch (Exception e) {
      failures.incrementAndGet();
      counters.statusFailed();
      long now = System.currentTimeMillis();
      if (now - lastFailureLog > 60_000) {
        lastFailureLog = now;
        LOG.warn(
            "cannot write the consumer status ({} failures so far; ingest is not affected): {}",
            failures.get(),
            e.toString());
      }
    }
  }

  /** The kernel's host name, as the plugin and auditd use it. */
  static String localHostName() {
    return LocalHost.name().orElse("unknown");
  }
}
