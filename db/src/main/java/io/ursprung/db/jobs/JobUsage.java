package io.ursprung.db.jobs;

/**
 * Jobs and resources summed over a group.
 *
 * @param key the group's value (a user, state, resource manager or host; null when unknown)
 * @param jobs number of jobs
 * @param elapsedSeconds summed wall-clock time of those that have one
 * @param userCpuSeconds summed user CPU time (accounting)
 * @param systemCpuSeconds summed system CPU time (accounting)
 */
public record JobUsage(
    String key, long jobs, double elapsedSeconds, double userCpuSeconds, double systemCpuSeconds) {}
