package io.ursprung.db.jobs;

import java.util.Map;

/**
 * One stored record of a job: a lifecycle stage or the accounting record joined to it.
 *
 * @param stage {@code initialized}, {@code queued}, {@code started}, {@code cancelled}, {@code
 *     finished} or {@code accounting}
 * @param eventId the record's event id
 * @param time the stage's time (ISO-8601, UTC)
 * @param attributes every non-null column by its short attribute name (the fragment of its URI,
 *     e.g. {@code exitCode}), values as text
 */
public record JobStageRecord(
    String stage, String eventId, String time, Map<String, String> attributes) {
  public JobStageRecord {
    attributes = Map.copyOf(attributes);
  }
}
