package io.ursprung.db.jobs;

import io.ursprung.db.auth.Viewer;
import io.ursprung.db.query.Page;
import io.ursprung.db.query.StoreException;
import java.util.List;
import java.util.Optional;

/**
 * Read side of the job audit: lists, details, name-value export and usage sums. A job is visible to
 * its owner (the viewer whose name is the job's user) and to admins; asking for someone else's job
 * or jobs throws {@link JobAccessDeniedException}.
 */
public interface JobQueries {

  /** Columns {@link #usage} can group by. */
  List<String> GROUPS = List.of("user", "state", "resourceManager", "executingHost");

  /**
   * Jobs matching the filter, newest first. Without {@code filter.user()} a non-admin gets their
   * own jobs; naming another user is denied.
   */
  Page<JobSummary> jobs(Viewer viewer, JobFilter filter, int offset, int limit);

  /** One job with its records; empty when unknown. */
  Optional<JobDetail> job(Viewer viewer, String jobId);

  /** One job as name-value attributes (every stored column, named by URI); empty when unknown. */
  Optional<List<JobAttribute>> attributes(Viewer viewer, String jobId);

  /** Jobs and resources summed by one of {@link #GROUPS}, largest count first. */
  List<JobUsage> usage(Viewer viewer, JobFilter filter, String groupBy);

  /** Queries that always fail with {@link StoreException}: for servers without a database. */
  static JobQueries unavailable() {
    return new JobQueries() {
      private StoreException fail() {
        return new StoreException("job queries need the database", null);
      }

      @Override
      public Page<JobSummary> jobs(Viewer viewer, JobFilter filter, int offset, int limit) {
        throw fail();
      }

      @Override
      public Optional<JobDetail> job(Viewer viewer, String jobId) {
        throw fail();
      }

      @Override
      public Optional<List<JobAttribute>> attributes(Viewer viewer, String jobId) {
        throw fail();
      }

      @Override
      public List<JobUsage> usage(Viewer viewer, JobFilter filter, String groupBy) {
        throw fail();
      }
    };
  }
}
