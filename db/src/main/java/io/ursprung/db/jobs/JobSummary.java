package io.ursprung.db.jobs;

import java.time.Instant;

/**
 * One job as listed: who, where, when, how it ended, what it used.
 *
 * @param jobId the global job id
 * @param user the user the job ran as (its owner)
 * @param resourceManager resource manager type
 * @param localJobId the resource manager's id
 * @param queue queue or partition
 * @param clientHost where it was submitted from
 * @param clientSubmissionId the submitting client's (gateway's) id of the job
 * @param gatewayUser the person a gateway submitted it for
 * @param executingHost where it ran (the first started record)
 * @param state {@code INITIALIZED}, {@code QUEUED}, {@code RUNNING}, {@code CANCELLED} or the final
 *     state
 * @param exitCode exit code, when finished
 * @param created creation time
 * @param queued queued time
 * @param started start time (from the records, else from accounting)
 * @param finished end time (resource manager's, else service's, else accounting's, else the cancel
 *     time)
 * @param elapsedSeconds wall-clock time (finished record, else accounting, else end - start)
 * @param userCpuSeconds user CPU time (accounting)
 * @param systemCpuSeconds system CPU time (accounting)
 * @param accountingState the resource manager's state (accounting)
 * @param runId {@code job:<jobId>} when processes of the job are known (runs list and comparison),
 *     else null
 */
public record JobSummary(
    String jobId,
    String user,
    String resourceManager,
    String localJobId,
    String queue,
    String clientHost,
    String clientSubmissionId,
    String gatewayUser,
    String executingHost,
    String state,
    Integer exitCode,
    Instant created,
    Instant queued,
    Instant started,
    Instant finished,
    Double elapsedSeconds,
    Double userCpuSeconds,
    Double systemCpuSeconds,
    String accountingState,
    String runId) {}
