package io.ursprung.provd.capture;

/**
 * Where one requester's matching lines go. Called from the capture's own thread; implementations
 * must not block for long (the control server's sink queues and drops when a client stalls, so a
 * slow client cannot stall a traced process).
 */
public interface CaptureSink {
  /** A line that matched this requester's pattern. */
  void line(CapturedLine line);

  /** The capture ended; no more lines follow. Called exactly once. */
  void end(String reason);
}
