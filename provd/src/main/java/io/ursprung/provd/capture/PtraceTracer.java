package io.ursprung.provd.capture;

import static io.ursprung.provd.nativeaccess.PtraceFlags.EVENT_CLONE;
import static io.ursprung.provd.nativeaccess.PtraceFlags.EVENT_EXIT;
import static io.ursprung.provd.nativeaccess.PtraceFlags.EVENT_STOP;
import static io.ursprung.provd.nativeaccess.PtraceFlags.SIGSTOP;
import static io.ursprung.provd.nativeaccess.PtraceFlags.SIGTSTP;
import static io.ursprung.provd.nativeaccess.PtraceFlags.SIGTTIN;
import static io.ursprung.provd.nativeaccess.PtraceFlags.SIGTTOU;
import static io.ursprung.provd.nativeaccess.PtraceFlags.SYS_WRITE;
import static io.ursprung.provd.nativeaccess.PtraceFlags.SYS_WRITEV;

import io.ursprung.provd.nativeaccess.LinuxNative;
import io.ursprung.provd.nativeaccess.NativeCallException;
import io.ursprung.provd.nativeaccess.NativeException;
import io.ursprung.provd.nativeaccess.PtraceFlags;
import io.ursprung.provd.nativeaccess.SyscallRegs;
import io.ursprung.provd.nativeaccess.WaitStatus;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Captures what a process writes to fd 1 and 2 by tracing its system calls: seize every thread,
 * stop at each syscall entry and exit, and at the exit of a successful {@code write}/{@code writev}
 * on fd 1 or 2 copy the bytes it actually wrote out of its memory with {@code process_vm_readv}.
 *
 * <p>Everything happens on this session's one thread, because the kernel accepts ptrace requests
 * for a tracee only from the thread that attached. The tracee sees nothing different: seizing sends
 * no SIGSTOP, signals that stop it are passed on with their number, group-stops stay stops, and the
 * tracer detaches at the tracee's exit stop so its real parent reaps it as usual. The tracee is
 * never killed ({@code PTRACE_O_EXITKILL} is not set); if provd dies the kernel detaches.
 *
 * <p>Bytes are copied at syscall exit rather than entry because only then is the count known: a
 * short or failed (EAGAIN, EINTR) write would otherwise be captured twice when the program retries.
 *
 * <p>Waiting uses {@code WNOHANG} with a short back-off instead of a blocking waitpid, so the
 * thread notices a stop request without signalling: no other thread may touch the tracee. The
 * back-off starts at zero while stops keep coming (syscall-heavy tracees) and grows to 2 ms when
 * idle.
 *
 * <p>Not seen: output moved without passing through user memory ({@code sendfile}, {@code splice},
 * {@code copy_file_range}), writes through a duplicate of fd 1 under another number, and output of
 * child processes (forks are not followed; threads are).
 */
final class PtraceTracer extends CaptureSession {
  private static final long OPTIONS =
      PtraceFlags.O_TRACESYSGOOD | PtraceFlags.O_TRACECLONE | PtraceFlags.O_TRACEEXIT;
  private static final int WAIT_FLAGS =
      PtraceFlags.WALL | PtraceFlags.WNOTHREAD | PtraceFlags.WNOHANG;

  /** Most bytes copied from one write; the remainder of a larger write is skipped. */
  private static final int MAX_COPY = 1 << 20;

  private static final int MAX_IOV = 1024;

  private final LinuxNative nat;
  private final ProcFs proc;
  private final Set<Integer> tids = new LinkedHashSet<>();
  private final Map<Integer, PendingWrite> pending = new HashMap<>();
  private final LineAssembler out;
  private final LineAssembler err;
  private byte[] copyBuf = new byte[64 * 1024];
  private boolean detaching;
  private boolean leaderExited;

  /** A write seen at syscall entry, completed at exit. */
  private record PendingWrite(long nr, int fd, long buf, long count) {}

  PtraceTracer(
      int pid,
      long startTicks,
      int maxLineBytes,
      LinuxNative nat,
      ProcFs proc,
      Consumer<CaptureSession> onEnd) {
    super(pid, startTicks, maxLineBytes, onEnd);
    this.nat = nat;
    this.proc = proc;
    this.out = new LineAssembler(maxLineBytes, text -> deliver(1, text));
    this.err = new LineAssembler(maxLineBytes, text -> deliver(2, text));
  }

  @Override
  String mode() {
    return "ptrace";
  }

  @Override
  String runCapture() throws Exception {
    try {
      attach();
    } catch (CaptureRefusedException e) {
      detachAll();
      throw e;
    }
    started.complete(null);
    try {
      return loop();
    } finally {
      // Whatever went wrong, leave no thread of the process stopped or traced.
      detachAll();
      out.flush();
      err.flush();
    }
  }

  private void attach() throws CaptureRefusedException {
    // Threads created between listing and seizing are caught by listing again until stable;
    // after that, TRACECLONE attaches new ones automatically.
    boolean grew = true;
    while (grew) {
      grew = false;
      for (int tid : proc.tasks(pid)) {
        if (tids.contains(tid)) {
          continue;
        }
        try {
          nat.ptraceSeize(tid, OPTIONS);
          tids.add(tid);
          grew = true;
        } catch (NativeCallException e) {
          if (e.noSuchProcess() && tid != pid) {
            continue; // a thread that just ended
          }
          throw new CaptureRefusedException(attachProblem(e));
        } catch (NativeException e) {
          throw new CaptureRefusedException("cannot trace pid " + pid + ": " + e.getMessage());
        }
      }
    }
    if (tids.isEmpty()) {
      throw new CaptureRefusedException("process " + pid + " does not exist");
    }
    for (int tid : tids) {
      try {
        nat.ptraceInterrupt(tid);
      } catch (NativeException e) {
        // The thread is exiting; waitpid reports it.
      }
    }
  }

  private String attachProblem(NativeCallException e) {
    if (e.noSuchProcess()) {
      return "process " + pid + " does not exist";
    }
    if (e.permissionDenied()) {
      StringBuilder sb =
          new StringBuilder("not allowed to ptrace pid " + pid + ": " + e.getMessage());
      proc.yamaPtraceScope().ifPresent(s -> sb.append("; kernel.yama.ptrace_scope is ").append(s));
      int tracer = proc.tracerPid(pid).orElse(0);
      if (tracer != 0) {
        sb.append("; it is already traced by pid ").append(tracer);
      }
      sb.append("; provd needs CAP_SYS_PTRACE (run it as root)");
      return sb.toString();
    }
    return "cannot trace pid " + pid + ": " + e.getMessage();
  }

  private String loop() throws NativeException {
    int idle = 0;
    while (!tids.isEmpty()) {
      if (!detaching && stopReason() != null) {
        detaching = true;
        for (int tid : tids) {
          try {
            nat.ptraceInterrupt(tid);
          } catch (NativeException e) {
            // gone already; waitpid reports it
          }
        }
      }
      WaitStatus w;
      try {
        w = nat.waitpid(-1, WAIT_FLAGS);
      } catch (NativeCallException e) {
        if (e.errno() == NativeCallException.ECHILD) {
          tids.clear();
          break;
        }
        throw e;
      }
      if (w == null) {
        idle++;
        backOff(idle);
        continue;
      }
      idle = 0;
      handle(w);
    }
    if (stopReason() != null) {
      return stopReason();
    }
    return leaderExited ? "process exited" : "all threads of the process ended";
  }

  private static void backOff(int idle) {
    if (idle < 16) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(Math.min(2_000_000L, 10_000L << Math.min(idle - 16, 8)));
    }
  }

  private void handle(WaitStatus w) throws NativeException {
    int tid = w.tid();
    if (w.exited() || w.killedBySignal()) {
      forget(tid);
      return;
    }
    if (!w.stopped()) {
      return;
    }
    // A new thread can report its first stop before its creator's clone event.
    tids.add(tid);
    int sig = w.stopSignal();
    int event = w.ptraceEvent();
    boolean syscallStop = sig == WaitStatus.SYSCALL_STOP_SIGNAL;
    if (detaching) {
      // A pending signal must reach the process as if provd had never been there.
      detach(tid, event == 0 && !syscallStop ? sig : 0);
      return;
    }
    if (syscallStop) {
      onSyscallStop(tid);
      resume(tid, 0);
      return;
    }
    switch (event) {
      case EVENT_EXIT -> detach(tid, 0);
      case EVENT_CLONE -> {
        tids.add((int) nat.ptraceGetEventMsg(tid));
        resume(tid, 0);
      }
      case EVENT_STOP -> {
        if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
          // A group-stop (Ctrl-Z, SIGSTOP): stay stopped, as the process would without us.
          listen(tid);
        } else {
          resume(tid, 0);
        }
      }
      case 0 -> resume(tid, sig); // signal-delivery-stop: deliver the very same signal
      default -> resume(tid, 0);
    }
  }

  private void forget(int tid) {
    tids.remove(tid);
    pending.remove(tid);
    if (tid == pid) {
      leaderExited = true;
    }
  }

  private void detach(int tid, int signal) {
    try {
      nat.ptraceDetach(tid, signal);
    } catch (NativeException e) {
      // ESRCH: it died meanwhile; the kernel released it.
    }
    forget(tid);
  }

  private void resume(int tid, int signal) throws NativeException {
    try {
      nat.ptraceSyscall(tid, signal);
    } catch (NativeCallException e) {
      if (!e.noSuchProcess()) {
        throw e;
      }
      // Killed while stopped (SIGKILL); its exit is reported by waitpid.
    }
  }

  private void listen(int tid) throws NativeException {
    try {
      nat.ptraceListen(tid);
    } catch (NativeCallException e) {
      if (!e.noSuchProcess()) {
        throw e;
      }
    }
  }

  private void onSyscallStop(int tid) throws NativeException {
    SyscallRegs r;
    try {
      r = nat.ptraceGetRegs(tid);
    } catch (NativeCallException e) {
      if (e.noSuchProcess()) {
        return;
      }
      throw e;
    }
    if (r.atEntry()) {
      long fd = r.rdi();
      if ((r.origRax() == SYS_WRITE || r.origRax() == SYS_WRITEV) && (fd == 1 || fd == 2)) {
        pending.put(tid, new PendingWrite(r.origRax(), (int) fd, r.rsi(), r.rdx()));
      } else {
        pending.remove(tid);
      }
      return;
    }
    PendingWrite p = pending.remove(tid);
    if (p == null || p.nr() != r.origRax() || r.rax() <= 0) {
      return;
    }
    LineAssembler target = p.fd() == 1 ? out : err;
    long written = r.rax();
    if (p.nr() == SYS_WRITE) {
      copy(tid, p.buf(), written, target);
    } else {
      copyIov(tid, p, written, target);
    }
  }

  private void copy(int tid, long address, long len, LineAssembler target) throws NativeException {
    int n = (int) Math.min(len, MAX_COPY);
    if (copyBuf.length < n) {
      copyBuf = new byte[Math.min(MAX_COPY, Math.max(n, copyBuf.length * 2))];
    }
    try {
      int got = nat.processVmRead(tid, address, copyBuf, 0, n);
      target.feed(copyBuf, 0, got);
    } catch (NativeCallException e) {
      // The thread died or the memory went away between the syscall and now: nothing to copy.
    }
  }

  private void copyIov(int tid, PendingWrite p, long written, LineAssembler target)
      throws NativeException {
    int count = (int) Math.min(Math.max(p.count(), 0), MAX_IOV);
    byte[] iov = new byte[count * 16];
    int got;
    try {
      got = nat.processVmRead(tid, p.buf(), iov, 0, iov.length);
    } catch (NativeCallException e) {
      return;
    }
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.wrap(iov, 0, got).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long left = written;
    for (int i = 0; i + 16 <= got && left > 0; i += 16) {
      long base = b.getLong(i);
      long len = Math.min(b.getLong(i + 8), left);
      if (len > 0) {
        copy(tid, base, len, target);
        left -= len;
      }
    }
  }

  /** Detaches every thread still traced (after an error or on the way out). */
  private void detachAll() {
    if (tids.isEmpty()) {
      return;
    }
    detaching = true;
    for (int tid : tids) {
      try {
        nat.ptraceInterrupt(tid);
      } catch (NativeException e) {
        // gone
      }
    }
    long deadline = System.nanoTime() + 2_000_000_000L;
    int idle = 0;
    while (!tids.isEmpty() && System.nanoTime() < deadline) {
      try {
        WaitStatus w = nat.waitpid(-1, WAIT_FLAGS);
        if (w == null) {
          backOff(++idle);
          continue;
        }
        idle = 0;
        handle(w);
      } catch (NativeException e) {
        break;
      }
    }
    // Anything left is either gone or will be released by the kernel when this thread ends.
    tids.clear();
  }
}
