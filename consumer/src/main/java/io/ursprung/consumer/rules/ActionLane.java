package io.ursprung.consumer.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of one action kind and their bounded queue. Only the dispatcher offers, and only as
 * many items as {@link #free()} said, so offering never blocks and never fails; what does not fit
 * stays in {@code rule_work} until there is room.
 */
final class ActionLane {
  private static final Logger LOG = LoggerFactory.getLogger(ActionLane.class);

  private final String name;
  private final BlockingQueue<WorkItem> queue;
  private final List<Thread> threads = new ArrayList<>();
  private final Consumer<WorkItem> worker;
  private final AtomicInteger busy = new AtomicInteger();
  private volatile boolean running = true;

  ActionLane(String name, int threads, int capacity, Consumer<WorkItem> worker) {
    this.name = name;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = worker;
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::loop, "rules-" + name.toLowerCase() + "-" + i);
      t.setDaemon(true);
      this.threads.add(t);
    }
  }

  String name() {
    return name;
  }

  void start() {
    threads.forEach(Thread::start);
  }

  /**
   * Room for more items: free queue slots, but no more than two per thread, so that items are not
   * claimed (and kept from other consumers) long before anyone works on them.
   */
  int free() {
    return Math.max(0, Math.min(queue.remainingCapacity(), 2 * threads.size() - queue.size()));
  }

  /** Queues an item; false only when full (the dispatcher then keeps it for later). */
  boolean offer(WorkItem item) {
    return queue.offer(item);
  }

  /** Items queued and being worked on. */
  int load() {
    return queue.size() + busy.get();
  }

  private void loop() {
    while (running) {
      WorkItem item;
      try {
        item = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (item == null) {
        continue;
      }
      busy.incrementAndGet();
      try {
        worker.accept(item);
      } catch (RuntimeException | Error e) {
        // The worker handles its failures; anything here is a bug, which must not kill the lane.
        LOG.error("{} lane: unexpected failure on {}", name, item, e);
      } finally {
        busy.decrementAndGet();
      }
    }
  }

  /** Stops the threads; items still queued stay claimed in the table until their lease ends. */
  void stop(long waitMillis) {
    running = false;
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    queue.clear();
  }
}
