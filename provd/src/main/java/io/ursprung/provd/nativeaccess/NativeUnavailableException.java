package io.ursprung.provd.nativeaccess;

/**
 * The native library or the platform cannot do this at all (libc could not be bound, not x86_64,
 * kernel too old). Permanent: the same call will fail again.
 */
public final class NativeUnavailableException extends NativeException {
  public NativeUnavailableException(String message) {
    super(message, null);
  }

  public NativeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
