package io.ursprung.provd.capture;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The capture of one process, shared by every requester of that pid (a process can have only one
 * tracer). Runs on its own platform thread; ends when asked, when the process exits, or when its
 * last requester goes away, and then tells every requester why.
 */
abstract class CaptureSession {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** One requester: its pattern and where its lines go. */
  record Subscriber(long id, Pattern pattern, CaptureSink sink) {}

  final int pid;
  final long startTicks;
  final Instant since = Instant.now();
  final int maxLineBytes;
  final AtomicLong linesSeen = new AtomicLong();
  final AtomicLong linesMatched = new AtomicLong();

  /** Completes when the capture is running (or fails with the reason it could not start). */
  final CompletableFuture<Void> started = new CompletableFuture<>();

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final Consumer<CaptureSession> onEnd;
  private volatile String stopReason;
  private Thread thread;

  CaptureSession(int pid, long startTicks, int maxLineBytes, Consumer<CaptureSession> onEnd) {
    this.pid = pid;
    this.startTicks = startTicks;
    this.maxLineBytes = maxLineBytes;
    this.onEnd = onEnd;
  }

  /** {@code file} or {@code ptrace}. */
  abstract String mode();

  /** The capture loop; returns why it ended. Runs on the session's own thread. */
  abstract String runCapture() throws Exception;

  void start(String threadName) {
    // A platform thread, not a virtual one or a pool: ptrace binds the tracee to the OS thread.
    thread = new Thread(this::runAndFinish, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  private void runAndFinish() {
    String reason;
    try {
      reason = runCapture();
    } catch (CaptureRefusedException e) {
      started.completeExceptionally(e);
      reason = e.getMessage();
    } catch (Exception | LinkageError e) {
      started.completeExceptionally(new CaptureRefusedException("capture failed: " + e));
      reason = "capture failed: " + e;
    }
    started.complete(null);
    finish(reason);
  }

  void addSubscriber(Subscriber s) {
    subscribers.add(s);
  }

  /** Removes a requester; the capture stops when none is left. */
  void removeSubscriber(long id) {
    subscribers.removeIf(s -> s.id() == id);
    if (subscribers.isEmpty()) {
      requestStop("no requester left");
    }
  }

  int subscriberCount() {
    return subscribers.size();
  }

  /** Asks the capture to end; the first reason wins. Returns at once. */
  void requestStop(String reason) {
    synchronized (this) {
      if (stopReason == null) {
        stopReason = reason;
      }
    }
  }

  /** The reason the capture was asked to stop, or {@code null} while it should keep going. */
  String stopReason() {
    return stopReason;
  }

  boolean ended() {
    return finished.get();
  }

  /** Waits for the capture thread (after {@link #requestStop}). */
  boolean join(long millis) throws InterruptedException {
    if (thread == null) {
      return true;
    }
    thread.join(millis);
    return !thread.isAlive();
  }

  /** CPU time the capture thread has used, in nanoseconds; -1 if unknown. */
  long cpuNanos() {
    Thread t = thread;
    if (t == null || !THREADS.isThreadCpuTimeSupported()) {
      return -1;
    }
    return THREADS.getThreadCpuTime(t.getId());
  }

  /** Hands one complete line to every requester whose pattern matches all of it. */
  void deliver(int fd, String text) {
    linesSeen.incrementAndGet();
    CapturedLine line = null;
    for (Subscriber s : subscribers) {
      if (s.pattern().matcher(text).matches()) {
        if (line == null) {
          line = new CapturedLine(pid, fd, Instant.now(), text);
          linesMatched.incrementAndGet();
        }
        s.sink().line(line);
      }
    }
  }

  private void finish(String reason) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    onEnd.accept(this);
    for (Subscriber s : subscribers) {
      s.sink().end(reason);
    }
    subscribers.clear();
  }
}
