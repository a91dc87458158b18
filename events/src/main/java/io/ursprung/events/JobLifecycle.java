package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One lifecycle sub-record of a batch job (GRAM-style audit): initialized, queued, started,
 * cancelled or finished. Stage-specific values travel as attributes whose names are documented in
 * {@code docs/events.md}.
 *
 * @param jobId the job's global id
 * @param stage {@code initialized}, {@code queued}, {@code started}, {@code cancelled} or {@code
 *     finished}
 * @param user the job owner's user name
 * @param attributes stage-specific values, as strings (sorted by name for stable output)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobLifecycle(String jobId, String stage, String user, Map<String, String> attributes)
    implements EventData {
  public JobLifecycle {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(stage, "stage");
    attributes =
        attributes == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  @Override
  public EventType type() {
    return EventType.JOB;
  }
}
