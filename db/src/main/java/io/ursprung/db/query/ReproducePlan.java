package io.ursprung.db.query;

import java.time.Instant;
import java.util.List;

/**
 * How a file came to be, as commands to run again.
 *
 * @param target node id of the file version
 * @param path its path
 * @param steps the processes whose outputs lead to it, in start order
 * @param script a POSIX shell script that re-runs the top-level steps in order (text only; the
 *     server never runs it)
 * @param truncated whether the lineage was cut by its caps, so steps may be missing
 */
public record ReproducePlan(
    String target, String path, List<Step> steps, String script, boolean truncated) {

  /**
   * One process.
   *
   * @param processId node id
   * @param cmdline argv joined by spaces
   * @param argv arguments
   * @param cwd working directory
   * @param host host
   * @param user user
   * @param start start time
   * @param exitCode exit status
   * @param inScript whether the script runs it itself (false when a listed parent re-runs it)
   * @param parentId the fork parent's node id, when known
   */
  public record Step(
      String processId,
      String cmdline,
      List<String> argv,
      String cwd,
      String host,
      String user,
      Instant start,
      Integer exitCode,
      boolean inScript,
      String parentId) {}
}
