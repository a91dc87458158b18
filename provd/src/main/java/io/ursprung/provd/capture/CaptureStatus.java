package io.ursprung.provd.capture;

import java.time.Instant;

/**
 * What {@code status} reports about one running capture.
 *
 * @param pid the process
 * @param mode {@code file} or {@code ptrace}
 * @param since when the capture started
 * @param requesters how many requesters receive its lines
 * @param linesSeen complete lines read
 * @param linesMatched lines that matched at least one requester's pattern
 * @param cpuPercent the capture thread's CPU use over the guard window, percent of one core
 */
public record CaptureStatus(
    int pid,
    String mode,
    Instant since,
    int requesters,
    long linesSeen,
    long linesMatched,
    double cpuPercent) {}
