package io.ursprung.it.bench;

import io.ursprung.consumer.ConsumerCommand;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The consumer exactly as {@code ursprung consumer} runs it, in its own JVM, plus a sampler that
 * prints the JVM's memory on stdout as {@code BENCH} lines for {@link ConsumerBench}: heap in use
 * at most (live data and garbage not yet collected), heap in use after a collection at most (live
 * data), and bytes allocated by the consumer's threads. Not a test.
 */
public final class BenchConsumerMain {
  public static void main(String[] args) {
    Thread sampler = new Thread(BenchConsumerMain::sample, "bench-memory-sampler");
    sampler.setDaemon(true);
    sampler.start();
    System.exit(ConsumerCommand.commandLine().execute(args));
  }

  private static void sample() {
    var mem = ManagementFactory.getMemoryMXBean();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    long maxUsed = 0;
    long maxAfterGc = 0;
    java.util.Map<Long, Long> allocatedById = new java.util.HashMap<>();
    for (int tick = 0; ; tick++) {
      maxUsed = Math.max(maxUsed, mem.getHeapMemoryUsage().getUsed());
      long afterGc = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
          afterGc += p.getCollectionUsage().getUsed();
        }
      }
      maxAfterGc = Math.max(maxAfterGc, afterGc);
      if (tick % 10 == 0) {
        for (long id : threads.getAllThreadIds()) {
          if (id != self) {
            // A thread that ended takes its count with it: keep the last one seen.
            allocatedById.merge(id, threads.getThreadAllocatedBytes(id), Math::max);
          }
        }
        long allocated = allocatedById.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(
            "BENCH heapMaxUsed=%d heapMaxAfterGc=%d allocated=%d%n",
            maxUsed, maxAfterGc, allocated);
        System.out.flush();
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
