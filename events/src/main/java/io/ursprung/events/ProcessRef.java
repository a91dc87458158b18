package io.ursprung.events;

import java.time.Instant;
import java.util.Objects;

/**
 * Identity of one process incarnation on a host: pid plus start time, because pids are reused. The
 * host is carried by the enclosing event.
 *
 * @param pid the process id (thread-group id), at least 1
 * @param start when the process started (fork/clone time), or when it was first seen if it predates
 *     the capture; never null, so the pair stays a usable key
 */
public record ProcessRef(int pid, Instant start) {
  public ProcessRef {
    if (pid < 1) {
      throw new IllegalArgumentException("pid must be >= 1, was " + pid);
    }
    Objects.requireNonNull(start, "process start time");
  }
}
