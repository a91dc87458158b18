package io.ursprung.plugin;

import io.ursprung.plugin.audit.AuditProcessor;
import io.ursprung.plugin.audit.AuditStats;
import io.ursprung.plugin.sink.EventSink;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processing thread's loop: takes chunks from the queue, splits them into lines for the
 * processor, ticks the processor at least every {@link #TICK_MILLIS} (so events without EOE are
 * completed on time even when input is idle), and at the end of input completes everything and
 * flushes and closes the sink.
 *
 * <p>Work from other threads that touches the processor or the sink (a configuration reload) is
 * queued with {@link #runOnProcessingThread} and runs between chunks, because the processor is not
 * thread-safe.
 */
final class PluginRunner {

  private static final Logger LOG = LoggerFactory.getLogger(PluginRunner.class);
  static final long TICK_MILLIS = 250;

  private final ChunkQueue queue;
  private final InputPump pump;
  private final AuditProcessor processor;
  private final EventSink sink;
  private final LongSupplier clock;
  private final LineSplitter splitter = new LineSplitter();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile AuditStats auditStats = new AuditStats(0, 0, 0, 0, 0);
  private volatile boolean stopRequested;
  private volatile Runnable atEnd;

  PluginRunner(
      ChunkQueue queue,
      InputPump pump,
      AuditProcessor processor,
      EventSink sink,
      LongSupplier clock) {
    this.queue = queue;
    this.pump = pump;
    this.processor = processor;
    this.sink = sink;
    this.clock = clock;
  }

  /**
   * Runs until the end of input (or a stop request), then completes pending events and flushes and
   * closes the sink.
   *
   * @return 0, or 1 when an input could not be read
   */
  int run() {
    LineSplitter.LineConsumer feed = processor::acceptLine;
    long nextTick = clock.getAsLong() + TICK_MILLIS;
    try {
      while (true) {
        long now = clock.getAsLong();
        long wait = stopRequested ? 0 : Math.max(1, nextTick - now);
        ChunkQueue.Chunk c = queue.poll(wait);
        if (c == null && stopRequested) {
          LOG.info("stopping: input that was queued is processed");
          break;
        }
        if (c != null && c.isEnd()) {
          if (!c.afterGap()) {
            splitter.finish(feed);
          }
          break;
        }
        if (c != null) {
          splitter.feed(c, feed);
        }
        now = clock.getAsLong();
        if (now >= nextTick) {
          processor.tick(now);
          auditStats = processor.stats();
          Runnable task;
          while ((task = tasks.poll()) != null) {
            task.run();
          }
          nextTick = now + TICK_MILLIS;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted: finishing what was read");
    } finally {
      try {
        processor.endOfInput();
        auditStats = processor.stats();
        sink.flush();
      } finally {
        runAtEnd();
        sink.close();
        done.countDown();
      }
    }
    return pump.inputErrors() > 0 ? 1 : 0;
  }

  /**
   * Runs {@code task} on the processing thread once the processor has applied everything, before
   * {@link #awaitDone} returns: a SIGTERM's shutdown hook waits for it, so the JVM does not halt
   * under it.
   */
  void atEnd(Runnable task) {
    atEnd = task;
  }

  private void runAtEnd() {
    Runnable task = atEnd;
    if (task == null) {
      return;
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("at exit: {}", e.toString());
    }
  }

  /** Asks the loop to finish what is queued and stop (SIGTERM). */
  void requestStop() {
    pump.stop();
    stopRequested = true;
  }

  /** Waits until {@link #run} has flushed and closed the sink. */
  boolean awaitDone(long timeoutMillis) throws InterruptedException {
    return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} on the processing thread at the next tick. */
  void runOnProcessingThread(Runnable task) {
    tasks.add(task);
  }

  /** Counters, readable from any thread (the processor's as of the last tick). */
  PluginStats stats(Optional<io.ursprung.plugin.nativeaccess.AuditStatus> kernel) {
    return new PluginStats(
        auditStats,
        sink.stats(),
        pump.bytesRead(),
        pump.droppedLines() + splitter.damaged() + splitter.oversized(),
        kernel);
  }
}
