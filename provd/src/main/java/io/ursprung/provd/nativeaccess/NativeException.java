package io.ursprung.provd.nativeaccess;

/** A native operation could not be done. Subclasses say whether retrying can help. */
public abstract class NativeException extends Exception {
  protected NativeException(String message, Throwable cause) {
    super(message, cause);
  }
}
