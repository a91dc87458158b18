package io.ursprung.db.jobs;

import java.util.List;

/**
 * A job with every record stored for it.
 *
 * @param job the summary
 * @param records the lifecycle records in time order, then the joined accounting record
 */
public record JobDetail(JobSummary job, List<JobStageRecord> records) {
  public JobDetail {
    records = List.copyOf(records);
  }
}
