package io.ursprung.provd.capture;

/**
 * A capture request that provd will not serve, with a reason the requester can show: the process
 * does not exist, ptrace is forbidden by policy, a cap is reached, and so on.
 */
public final class CaptureRefusedException extends Exception {
  public CaptureRefusedException(String reason) {
    super(reason);
  }
}
