package io.ursprung.db.query;

import java.time.Instant;

/**
 * A pipeline execution: a batch job, or a process tree started by a user command.
 *
 * @param id the root process's node id (or {@code job:<id>} for a job)
 * @param kind {@code job} or {@code process-tree}
 * @param host where the root ran
 * @param user user
 * @param cmdline the root's command line
 * @param start start
 * @param end end, null when unknown
 * @param durationMs end minus start, null when unknown
 * @param exitCode the root's exit status
 * @param processes how many processes belong to it
 */
public record RunSummary(
    String id,
    String kind,
    String host,
    String user,
    String cmdline,
    Instant start,
    Instant end,
    Long durationMs,
    Integer exitCode,
    int processes) {}
