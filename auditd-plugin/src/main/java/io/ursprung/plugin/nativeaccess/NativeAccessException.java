package io.ursprung.plugin.nativeaccess;

/**
 * A native call failed in a way the caller cannot treat as "not found", such as an I/O error from
 * the NSS back end. Carries the C {@code errno} when there is one.
 */
public class NativeAccessException extends RuntimeException {
  private final int errno;

  public NativeAccessException(String message, int errno) {
    super(message + (errno != 0 ? " (errno " + errno + ")" : ""));
    this.errno = errno;
  }

  public NativeAccessException(String message, Throwable cause) {
    super(message, cause);
    this.errno = 0;
  }

  /** The C {@code errno}, 0 when unknown. */
  public int errno() {
    return errno;
  }
}
