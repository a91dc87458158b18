package io.ursprung.provd.capture;

import java.time.Instant;
import java.util.Objects;

/**
 * One complete output line of a captured process.
 *
 * @param pid the process
 * @param fd 1 for stdout, 2 for stderr
 * @param time when provd saw the line
 * @param text the line without its newline, control characters and ANSI escape sequences
 */
public record CapturedLine(int pid, int fd, Instant time, String text) {
  public CapturedLine {
    if (pid < 1) {
      throw new IllegalArgumentException("pid must be at least 1, got " + pid);
    }
    if (fd != 1 && fd != 2) {
      throw new IllegalArgumentException("fd must be 1 or 2, got " + fd);
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(text, "text");
  }
}
