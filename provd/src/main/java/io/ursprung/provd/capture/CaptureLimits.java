package io.ursprung.provd.capture;

/**
 * The limits under which provd sheds capture load rather than hurt the jobs on the node.
 *
 * @param maxTracees concurrent ptrace captures (each slows its tracee at every syscall)
 * @param maxFollows concurrent file follows (cheap, but each holds a thread and an fd)
 * @param maxTracerCpuPercent CPU a tracer thread may use, in percent of one core averaged over
 *     {@code cpuWindowSeconds}; above it the tracer detaches, and new ptrace captures are refused
 *     while the tracers together are above it
 * @param cpuWindowSeconds the averaging window of the CPU guard
 * @param maxLineBytes longest line kept; longer lines are cut
 * @param filePollMillis how often a followed file is checked for growth
 */
public record CaptureLimits(
    int maxTracees,
    int maxFollows,
    double maxTracerCpuPercent,
    int cpuWindowSeconds,
    int maxLineBytes,
    long filePollMillis) {
  public CaptureLimits {
    if (maxTracees < 0 || maxFollows < 0) {
      throw new IllegalArgumentException("caps must not be negative");
    }
    if (maxTracerCpuPercent <= 0) {
      throw new IllegalArgumentException("maxTracerCpuPercent must be positive");
    }
    if (cpuWindowSeconds < 1 || maxLineBytes < 1 || filePollMillis < 1) {
      throw new IllegalArgumentException("window, line length and poll interval must be positive");
    }
  }

  /** Defaults for tests and small nodes. */
  public static CaptureLimits defaults() {
    return new CaptureLimits(4, 64, 50, 10, 64 * 1024, 100);
  }
}
