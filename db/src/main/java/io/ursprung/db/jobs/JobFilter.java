package io.ursprung.db.jobs;

import java.time.Instant;

/**
 * Which jobs to list; every field is optional (null: no condition).
 *
 * @param user the job's user
 * @param from jobs created (else queued, else started) at or after this time
 * @param to ... before this time
 * @param state {@code INITIALIZED}, {@code QUEUED}, {@code RUNNING}, {@code CANCELLED} or a final
 *     state such as {@code SUCCESSFUL_COMPLETION}
 * @param resourceManager resource manager type (slurm, lsf, pbs, ...)
 * @param executingHost the host the job ran on
 * @param clientSubmissionId the submitting client's (a gateway's) own id of the job
 * @param gatewayUser the person a gateway submitted the job for
 */
public record JobFilter(
    String user,
    Instant from,
    Instant to,
    String state,
    String resourceManager,
    String executingHost,
    String clientSubmissionId,
    String gatewayUser) {

  /** No conditions. */
  public static JobFilter all() {
    return new JobFilter(null, null, null, null, null, null, null, null);
  }
}
