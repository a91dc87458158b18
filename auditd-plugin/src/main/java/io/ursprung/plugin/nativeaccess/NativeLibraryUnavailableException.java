package io.ursprung.plugin.nativeaccess;

/**
 * libc could not be bound (no jnr-ffi native stub for this platform, a non-glibc system, a missing
 * symbol). {@link NativeOs#load()} catches it and falls back to the pure-Java implementation.
 */
public class NativeLibraryUnavailableException extends NativeAccessException {
  public NativeLibraryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
