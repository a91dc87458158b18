package io.ursprung.provd.nativeaccess;

/** ptrace options, events and the syscall numbers the tracer looks at (x86_64). */
public final class PtraceFlags {
  private PtraceFlags() {}

  /** Syscall stops report {@code SIGTRAP|0x80}, so they cannot be mistaken for a real SIGTRAP. */
  public static final long O_TRACESYSGOOD = 0x1;

  /** Follow new threads of the tracee: any of them may write to stdout. */
  public static final long O_TRACECLONE = 0x8;

  /**
   * Stop at exit, so the tracer can detach before the tracee becomes a zombie and the real parent
   * reaps it exactly as without a tracer.
   */
  public static final long O_TRACEEXIT = 0x40;

  public static final int EVENT_CLONE = 3;
  public static final int EVENT_EXIT = 6;

  /** Reported for {@code PTRACE_INTERRUPT} and for group-stops of a seized tracee. */
  public static final int EVENT_STOP = 128;

  public static final long SYS_WRITE = 1;
  public static final long SYS_WRITEV = 20;

  public static final int SIGTRAP = 5;
  public static final int SIGSTOP = 19;
  public static final int SIGTSTP = 20;
  public static final int SIGTTIN = 21;
  public static final int SIGTTOU = 22;

  /** waitpid: all children, whether cloned or not. */
  public static final int WALL = 0x40000000;

  /**
   * waitpid: only tracees and children of the calling thread. Without it one tracer thread could
   * reap another tracer's tracee stops (or the JDK's own children), since a thread may by default
   * wait for the children of every thread in its process.
   */
  public static final int WNOTHREAD = 0x20000000;

  public static final int WNOHANG = 1;
}
