package io.ursprung.provd.job;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One job's accounting as the resource manager reports it.
 *
 * @param resourceManager resource manager type (slurm, ...)
 * @param localJobId the resource manager's job id ({@code 123}, {@code 123_4} for an array task)
 * @param user the user the job ran as
 * @param queued submit time
 * @param started start time, or null
 * @param finished end time, or null
 * @param elapsedSeconds elapsed wall-clock time, or null
 * @param userCpuSeconds user CPU time, or null
 * @param systemCpuSeconds system CPU time, or null
 * @param state final state as the resource manager names it, or null
 */
public record AccountingRecord(
    String resourceManager,
    String localJobId,
    String user,
    Instant queued,
    Instant started,
    Instant finished,
    BigDecimal elapsedSeconds,
    BigDecimal userCpuSeconds,
    BigDecimal systemCpuSeconds,
    String state) {}
