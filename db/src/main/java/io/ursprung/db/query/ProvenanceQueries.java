package io.ursprung.db.query;

import io.ursprung.db.auth.Viewer;
import io.ursprung.db.lineage.NodeId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Search, details, runs and reproduce plans, filtered by what the viewer may see. */
public interface ProvenanceQueries {

  /**
   * Files whose name matches.
   *
   * @param pattern a path prefix, or with {@code glob} a shell glob ({@code *}, {@code ?}) over the
   *     whole path
   * @param glob whether {@code pattern} is a glob
   * @param host only this namespace, or null for all
   */
  Page<FileSummary> searchFiles(
      Viewer viewer, String pattern, boolean glob, String host, int offset, int limit);

  /** Processes matching every given criterion, newest first. */
  Page<ProcessSummary> searchProcesses(Viewer viewer, ProcessSearch search, int offset, int limit);

  /** One process, or empty when unknown or invisible. */
  Optional<ProcessDetails> process(Viewer viewer, NodeId.Process id);

  /** The file of a version id, or empty when unknown or invisible. */
  Optional<FileDetails> file(Viewer viewer, NodeId.FileVersion id);

  /** Runs started in the window (null bounds: open), newest first. */
  Page<RunSummary> runs(
      Viewer viewer, String user, String host, Instant from, Instant to, int offset, int limit);

  /**
   * Compares runs.
   *
   * @param runIds 2 or more run ids from {@link #runs}
   * @return empty when one of them is unknown or invisible
   */
  Optional<RunComparison> compareRuns(Viewer viewer, List<String> runIds);

  /**
   * The reproduce plan of the latest version of a file.
   *
   * @return empty when the file is unknown or invisible
   */
  Optional<ReproducePlan> reproduce(Viewer viewer, String host, String path);

  /**
   * The job audit queries over the same store. Servers assembled without a database (tests with
   * canned answers) get queries that answer 503.
   */
  default io.ursprung.db.jobs.JobQueries jobs() {
    return io.ursprung.db.jobs.JobQueries.unavailable();
  }
}
