package io.ursprung.provd.nativeaccess;

/**
 * What {@code waitpid} reported for one thread, with the status word decoded the way {@code
 * <sys/wait.h>} does.
 *
 * @param tid the thread (or process) that changed state
 * @param status the raw status word
 */
public record WaitStatus(int tid, int status) {
  /** {@code SIGTRAP | 0x80}: a syscall stop under {@code PTRACE_O_TRACESYSGOOD}. */
  public static final int SYSCALL_STOP_SIGNAL = 5 | 0x80;

  public boolean exited() {
    return (status & 0x7f) == 0;
  }

  public int exitCode() {
    return (status >> 8) & 0xff;
  }

  public boolean killedBySignal() {
    int low = status & 0x7f;
    return low != 0 && low != 0x7f;
  }

  public int termSignal() {
    return status & 0x7f;
  }

  public boolean stopped() {
    return (status & 0xff) == 0x7f;
  }

  /** The stop signal of a stopped thread ({@code SIGTRAP|0x80} for syscall stops). */
  public int stopSignal() {
    return (status >> 8) & 0xff;
  }

  /** The {@code PTRACE_EVENT_*} of a ptrace event stop, 0 for other stops. */
  public int ptraceEvent() {
    return (status >>> 16) & 0xff;
  }
}
