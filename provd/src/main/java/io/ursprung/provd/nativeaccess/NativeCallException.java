package io.ursprung.provd.nativeaccess;

/**
 * A system call failed with an errno. The errno decides what the caller does: {@link
 * #noSuchProcess()} means the target is gone (normal at exit), {@link #permissionDenied()} is a
 * configuration or policy problem an operator must fix, {@link #interrupted()} can be retried.
 */
public final class NativeCallException extends NativeException {
  /** errno values provd distinguishes (x86_64/aarch64 Linux). */
  public static final int EPERM = 1;

  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int EAGAIN = 11;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int EINVAL = 22;
  public static final int ENOSYS = 38;
  public static final int ECHILD = 10;
  public static final int ESTALE = 116;
  public static final int EOPNOTSUPP = 95;
  public static final int EXDEV = 18;

  private final String call;
  private final int errno;

  public NativeCallException(String call, int errno, String detail) {
    super(
        call + " failed: " + errnoName(errno) + (detail == null ? "" : " (" + detail + ")"), null);
    this.call = call;
    this.errno = errno;
  }

  /** The failed call, such as {@code ptrace(PTRACE_SEIZE)}. */
  public String call() {
    return call;
  }

  /** The errno the call set. */
  public int errno() {
    return errno;
  }

  public boolean noSuchProcess() {
    return errno == ESRCH;
  }

  public boolean permissionDenied() {
    return errno == EPERM || errno == EACCES;
  }

  public boolean interrupted() {
    return errno == EINTR || errno == EAGAIN;
  }

  /** A readable name for the errnos provd meets; the number for the others. */
  public static String errnoName(int errno) {
    return switch (errno) {
      case EPERM -> "EPERM (operation not permitted)";
      case ENOENT -> "ENOENT (no such file or directory)";
      case ESRCH -> "ESRCH (no such process)";
      case EINTR -> "EINTR (interrupted)";
      case EAGAIN -> "EAGAIN (try again)";
      case EACCES -> "EACCES (permission denied)";
      case EBUSY -> "EBUSY (busy)";
      case EINVAL -> "EINVAL (invalid argument; kernel may not support it)";
      case ENOSYS -> "ENOSYS (not implemented by this kernel)";
      case ECHILD -> "ECHILD (no such child)";
      case ESTALE -> "ESTALE (stale file handle)";
      case EOPNOTSUPP -> "EOPNOTSUPP (not supported)";
      case EXDEV -> "EXDEV (cross-device)";
      default -> "errno " + errno;
    };
  }
}
