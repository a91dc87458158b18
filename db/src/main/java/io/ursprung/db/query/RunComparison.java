package io.ursprung.db.query;

import java.util.List;

/**
 * Two or more runs side by side. Every list of {@code values} has one entry per run, in the order
 * of {@code runs}; {@code null} where a run has no such input, output or step.
 *
 * @param runs the runs compared
 * @param inputs files read from outside the run
 * @param outputs files the run wrote (last version per path)
 * @param steps processes matched across runs by program and order
 */
public record RunComparison(
    List<RunSummary> runs, List<FileRow> inputs, List<FileRow> outputs, List<StepRow> steps) {

  /**
   * One path across runs.
   *
   * @param path the path (relative to the run's working directory when inside it)
   * @param same whether every run has it at the same version
   * @param values per run
   */
  public record FileRow(String path, boolean same, List<FileValue> values) {}

  /**
   * A file as one run saw it.
   *
   * @param id node id of the version
   * @param version version number (0: from before capture)
   * @param versionTime when the version was made
   * @param size size, when known
   * @param contentHash digest, when known
   */
  public record FileValue(
      String id, int version, java.time.Instant versionTime, Long size, String contentHash) {}

  /**
   * One step across runs.
   *
   * @param program the executable's name
   * @param occurrence 1 for the first process of that program in a run, 2 for the second, ...
   * @param argvSame whether every run ran it with the same arguments
   * @param values per run
   */
  public record StepRow(String program, int occurrence, boolean argvSame, List<StepValue> values) {}

  /**
   * A step as one run ran it.
   *
   * @param processId node id
   * @param argv arguments
   * @param durationMs duration, when known
   * @param exitCode exit status, when known
   */
  public record StepValue(String processId, List<String> argv, Long durationMs, Integer exitCode) {}
}
