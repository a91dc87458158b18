package io.ursprung.consumer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running counters of one consumer, logged every interval and readable by tests and the benchmark.
 */
public final class Metrics {
  final AtomicLong events = new AtomicLong();
  final AtomicLong batches = new AtomicLong();
  final AtomicLong deadLettered = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong batchNanos = new AtomicLong();
  final AtomicLong maxBatchNanos = new AtomicLong();
  final AtomicLong statusWrites = new AtomicLong();
  final AtomicLong statusFailures = new AtomicLong();
  final AtomicLong statusSkipped = new AtomicLong();
  volatile long lag = -1;
  volatile long lastBatchNanos = -1;

  /** Events stored since start. */
  public long events() {
    return events.get();
  }

  /** Batches committed since start. */
  public long batches() {
    return batches.get();
  }

  /** Messages sent to the dead-letter topic since start. */
  public long deadLettered() {
    return deadLettered.get();
  }

  /** Retries after Kafka or PostgreSQL failures since start. */
  public long retries() {
    return retries.get();
  }

  /** Messages behind the end of the assigned partitions at the last measurement, -1 if unknown. */
  public long lag() {
    return lag;
  }

  /** Status rows written, and status writes that failed (docs/operations.md). */
  public long statusWrites() {
    return statusWrites.get();
  }

  public long statusFailures() {
    return statusFailures.get();
  }

  void batch(int n, long nanos) {
    lastBatchNanos = nanos;
    events.addAndGet(n);
    batches.incrementAndGet();
    batchNanos.addAndGet(nanos);
    maxBatchNanos.accumulateAndGet(nanos, Math::max);
  }
}
