package io.ursprung.provd.capture;

import io.ursprung.provd.nativeaccess.LinuxNative;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, shares, limits and stops stdout captures. Thread-safe.
 *
 * <p>One capture per process serves every requester of that pid, each with its own pattern; the
 * capture stops when its last requester leaves. Requests over a cap or while the tracers are over
 * their CPU budget are refused with a reason, because a collector must never be what slows a job
 * down.
 */
public final class CaptureManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureManager.class);
  private static final int MAX_REGEX_CHARS = 4096;
  private static final long ATTACH_TIMEOUT_SECONDS = 10;

  private final LinuxNative nat;
  private final ProcFs proc;
  private final CaptureLimits limits;
  private final int ownPid;
  private final Map<Integer, CaptureSession> sessions = new HashMap<>();
  private final Map<CaptureSession, Deque<long[]>> cpuSamples = new HashMap<>();
  private final Map<CaptureSession, Double> cpuPercent = new HashMap<>();
  private final AtomicLong nextSubscriber = new AtomicLong();
  private final ScheduledExecutorService guard;
  private boolean closed;

  /** Counters for the metrics log. */
  public final AtomicLong started = new AtomicLong();

  public final AtomicLong refused = new AtomicLong();
  public final AtomicLong cpuGuardStops = new AtomicLong();

  public CaptureManager(LinuxNative nat, ProcFs proc, CaptureLimits limits) {
    this.nat = nat;
    this.proc = proc;
    this.limits = limits;
    this.ownPid = nat.getpid();
    this.guard =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "capture-cpu-guard");
              t.setDaemon(true);
              return t;
            });
    guard.scheduleAtFixedRate(this::checkCpu, 1, 1, TimeUnit.SECONDS);
  }

  /** A requester's hold on a capture; closing it leaves the capture (stopping it if last). */
  public interface Subscription extends AutoCloseable {
    /** {@code file} or {@code ptrace}. */
    String mode();

    @Override
    void close();
  }

  /**
   * Starts capturing {@code pid} (or joins the running capture) and sends the lines that fully
   * match {@code regex} to {@code sink} until the capture ends.
   *
   * @throws CaptureRefusedException with the reason, when the capture cannot or may not start
   */
  public Subscription capture(int pid, String regex, CaptureSink sink)
      throws CaptureRefusedException {
    Pattern pattern = compile(regex);
    if (pid < 1) {
      throw refuse("pid must be a positive number, got " + pid);
    }
    if (pid == ownPid || proc.tasks(ownPid).contains(pid)) {
      throw refuse("provd does not capture itself");
    }
    OptionalLong startTicks = proc.startTicks(pid);
    if (startTicks.isEmpty()) {
      throw refuse("process " + pid + " does not exist");
    }
    if (proc.kernelThread(pid)) {
      throw refuse("process " + pid + " is a kernel thread and writes no output");
    }
    long id = nextSubscriber.incrementAndGet();
    CaptureSession.Subscriber subscriber = new CaptureSession.Subscriber(id, pattern, sink);
    CaptureSession session;
    boolean fresh = false;
    synchronized (this) {
      if (closed) {
        throw refuse("provd is shutting down");
      }
      session = sessions.get(pid);
      if (session != null
          && (session.startTicks != startTicks.getAsLong() || session.stopReason() != null)) {
        // A stale capture of an earlier process with this pid, or one on its way out.
        session = null;
      }
      if (session == null) {
        session = newSession(pid, startTicks.getAsLong());
        sessions.put(pid, session);
        fresh = true;
      }
      session.addSubscriber(subscriber);
    }
    if (fresh) {
      session.start("capture-" + session.mode() + "-" + pid);
    }
    try {
      session.started.get(ATTACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      refused.incrementAndGet();
      Throwable c = e.getCause();
      throw c instanceof CaptureRefusedException r
          ? r
          : new CaptureRefusedException("capture failed: " + c);
    } catch (TimeoutException e) {
      session.requestStop("attach timed out");
      throw refuse(
          "attaching to pid " + pid + " did not finish in " + ATTACH_TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session.removeSubscriber(id);
      throw refuse("interrupted");
    }
    if (fresh) {
      started.incrementAndGet();
      LOG.info("capturing pid {} by {} (stdout {})", pid, session.mode(), proc.fdTarget(pid, 1));
    }
    CaptureSession s = session;
    return new Subscription() {
      @Override
      public String mode() {
        return s.mode();
      }

      @Override
      public void close() {
        s.removeSubscriber(id);
      }
    };
  }

  private CaptureSession newSession(int pid, long startTicks) throws CaptureRefusedException {
    if (proc.fdIsRegularFile(pid, 1)) {
      long follows = sessions.values().stream().filter(s -> s instanceof FileFollower).count();
      if (follows >= limits.maxFollows()) {
        throw refuse(
            "the cap of "
                + limits.maxFollows()
                + " concurrent file follows is reached (provd.capture.max.follows)");
      }
      return new FileFollower(
          pid, startTicks, limits.maxLineBytes(), proc, limits.filePollMillis(), this::ended);
    }
    if (!nat.available()) {
      throw refuse("stdout of pid " + pid + " is not a file and ptrace is unavailable here");
    }
    if (!"amd64".equals(System.getProperty("os.arch"))) {
      throw refuse("ptrace capture is implemented for x86_64 only");
    }
    OptionalInt scope = proc.yamaPtraceScope();
    if (scope.isPresent() && scope.getAsInt() >= 3) {
      throw refuse(
          "kernel.yama.ptrace_scope is 3: the kernel forbids ptrace attach for everyone, root"
              + " included, until reboot; stdout of pid "
              + pid
              + " ("
              + proc.fdTarget(pid, 1)
              + ") cannot be captured");
    }
    int tracer = proc.tracerPid(pid).orElse(0);
    if (tracer != 0) {
      throw refuse(
          "process " + pid + " is already traced by pid " + tracer + " (a debugger or strace?)");
    }
    long tracees = sessions.values().stream().filter(s -> s instanceof PtraceTracer).count();
    if (tracees >= limits.maxTracees()) {
      throw refuse(
          "the cap of "
              + limits.maxTracees()
              + " concurrent ptrace captures is reached (provd.capture.max.tracees)");
    }
    double total = cpuPercent.values().stream().mapToDouble(Double::doubleValue).sum();
    if (total > limits.maxTracerCpuPercent()) {
      throw refuse(
          String.format(
              "tracers already use %.0f%% of a core (budget %.0f%%,"
                  + " provd.capture.max.tracer.cpu.percent)",
              total, limits.maxTracerCpuPercent()));
    }
    return new PtraceTracer(pid, startTicks, limits.maxLineBytes(), nat, proc, this::ended);
  }

  private Pattern compile(String regex) throws CaptureRefusedException {
    if (regex == null || regex.isEmpty()) {
      throw refuse("a regular expression is required");
    }
    if (regex.length() > MAX_REGEX_CHARS) {
      throw refuse("the regular expression is longer than " + MAX_REGEX_CHARS + " characters");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw refuse("invalid regular expression: " + e.getDescription() + " at " + e.getIndex());
    }
  }

  private CaptureRefusedException refuse(String reason) {
    refused.incrementAndGet();
    return new CaptureRefusedException(reason);
  }

  private synchronized void ended(CaptureSession s) {
    sessions.remove(s.pid, s);
    cpuSamples.remove(s);
    cpuPercent.remove(s);
    LOG.info("capture of pid {} ended", s.pid);
  }

  /**
   * Stops the capture of {@code pid}; its requesters get {@code reason}.
   *
   * @return whether there was one
   */
  public boolean stop(int pid, String reason) {
    CaptureSession s;
    synchronized (this) {
      s = sessions.get(pid);
    }
    if (s == null) {
      return false;
    }
    s.requestStop(reason);
    return true;
  }

  /** The running captures. */
  public synchronized List<CaptureStatus> status() {
    List<CaptureStatus> out = new ArrayList<>();
    for (CaptureSession s : sessions.values()) {
      out.add(
          new CaptureStatus(
              s.pid,
              s.mode(),
              s.since,
              s.subscriberCount(),
              s.linesSeen.get(),
              s.linesMatched.get(),
              Math.round(cpuPercent.getOrDefault(s, 0.0) * 10) / 10.0));
    }
    out.sort((a, b) -> Integer.compare(a.pid(), b.pid()));
    return out;
  }

  /** Running captures by mode, for metrics. */
  public synchronized Map<String, Long> counts() {
    Map<String, Long> m = new HashMap<>();
    m.put("file", sessions.values().stream().filter(s -> s instanceof FileFollower).count());
    m.put("ptrace", sessions.values().stream().filter(s -> s instanceof PtraceTracer).count());
    return m;
  }

  /** Samples tracer CPU and stops a tracer that used more than its budget over the window. */
  synchronized void checkCpu() {
    long now = System.nanoTime();
    for (CaptureSession s : sessions.values()) {
      if (!(s instanceof PtraceTracer)) {
        continue;
      }
      long cpu = s.cpuNanos();
      if (cpu < 0) {
        continue;
      }
      Deque<long[]> q = cpuSamples.computeIfAbsent(s, k -> new ArrayDeque<>());
      q.addLast(new long[] {now, cpu});
      while (q.size() > limits.cpuWindowSeconds() + 1) {
        q.removeFirst();
      }
      long[] first = q.peekFirst();
      double wall = now - first[0];
      if (wall <= 0) {
        continue;
      }
      double percent = 100.0 * (cpu - first[1]) / wall;
      cpuPercent.put(s, percent);
      boolean fullWindow = q.size() > limits.cpuWindowSeconds();
      if (fullWindow && percent > limits.maxTracerCpuPercent() && s.stopReason() == null) {
        cpuGuardStops.incrementAndGet();
        String reason =
            String.format(
                "cpu guard: the tracer used %.0f%% of a core over the last %d s (limit %.0f%%)",
                percent, limits.cpuWindowSeconds(), limits.maxTracerCpuPercent());
        LOG.warn("stopping capture of pid {}: {}", s.pid, reason);
        s.requestStop(reason);
      }
    }
  }

  /** Stops every capture (detaching every tracee) and waits for them, at most 10 s. */
  @Override
  public void close() {
    List<CaptureSession> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(sessions.values());
    }
    for (CaptureSession s : all) {
      s.requestStop("provd is stopping");
    }
    long deadline = System.currentTimeMillis() + 10_000;
    for (CaptureSession s : all) {
      try {
        if (!s.join(Math.max(1, deadline - System.currentTimeMillis()))) {
          LOG.warn("capture of pid {} did not end in time", s.pid);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    guard.shutdownNow();
  }
}
