package io.ursprung.provd.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One job lifecycle record as written to the spool directory (format {@value #FORMAT}, version
 * {@value #VERSION}):
 *
 * <pre>{@code
 * {"format":"ursprung-job-record","version":1,
 *  "jobId":"cluster1:slurm:4711:2026-11-20T09:14:03Z","stage":"queued","user":"alice",
 *  "time":"2026-11-20T09:14:03.512Z","attributes":{"localJobId":"4711","queue":"gpu"}}
 * }</pre>
 *
 * @param jobId the job's global id (non-blank)
 * @param stage {@code initialized}, {@code queued}, {@code started}, {@code cancelled}, {@code
 *     finished}, or {@code accounting} for a resource manager's accounting of one job
 * @param user the user name the record is about; the file must be owned by this user
 * @param time when the stage happened, ISO-8601 with a zone (UTC preferred)
 * @param attributes stage-specific values, all strings
 */
public record JobRecord(
    String jobId, String stage, String user, Instant time, Map<String, String> attributes) {
  public static final String FORMAT = "ursprung-job-record";
  public static final int VERSION = 1;
  public static final Set<String> STAGES =
      Set.of("initialized", "queued", "started", "cancelled", "finished", "accounting");

  /**
   * The stage of resource-manager accounting records ({@code ursprung job import-accounting}),
   * accepted only from trusted accounts.
   */
  public static final String ACCOUNTING = "accounting";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TEXT = 4096;

  public JobRecord {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(time, "time");
    attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
  }

  /** A record that cannot be used, with every problem found. */
  public static final class InvalidRecordException extends Exception {
    public InvalidRecordException(String message) {
      super(message);
    }
  }

  /**
   * Parses and validates a record file's bytes.
   *
   * @throws InvalidRecordException listing every problem
   */
  public static JobRecord parse(byte[] bytes) throws InvalidRecordException {
    JsonNode j;
    try {
      j = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidRecordException("not JSON: " + e.getMessage().split("\n")[0]);
    }
    if (j == null || !j.isObject()) {
      throw new InvalidRecordException("not a JSON object");
    }
    List<String> problems = new ArrayList<>();
    if (!FORMAT.equals(j.path("format").asText(null))) {
      problems.add("format must be \"" + FORMAT + "\"");
    }
    if (!j.path("version").isInt() || j.path("version").asInt() != VERSION) {
      problems.add("version must be " + VERSION);
    }
    String jobId = text(j, "jobId", problems);
    String stage = text(j, "stage", problems);
    if (stage != null && !STAGES.contains(stage)) {
      problems.add("stage must be one of " + new java.util.TreeSet<>(STAGES) + ", got " + stage);
    }
    String user = text(j, "user", problems);
    if (user != null && !user.matches("[A-Za-z0-9._][A-Za-z0-9._@-]{0,255}")) {
      problems.add("user is not a valid user name: " + user);
    }
    String timeText = text(j, "time", problems);
    Instant time = null;
    if (timeText != null) {
      try {
        time = java.time.OffsetDateTime.parse(timeText).toInstant();
      } catch (DateTimeParseException e) {
        problems.add("time must be ISO-8601 with a zone, got " + timeText);
      }
    }
    Map<String, String> attributes = new TreeMap<>();
    JsonNode a = j.get("attributes");
    if (a != null && !a.isNull()) {
      if (!a.isObject()) {
        problems.add("attributes must be an object of strings");
      } else {
        Iterator<Map.Entry<String, JsonNode>> it = a.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getValue().isTextual()) {
            problems.add("attribute " + e.getKey() + " must be a string");
          } else if (e.getValue().asText().length() > MAX_TEXT) {
            problems.add("attribute " + e.getKey() + " is longer than " + MAX_TEXT);
          } else {
            attributes.put(e.getKey(), e.getValue().asText());
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRecordException(String.join("; ", problems));
    }
    return new JobRecord(jobId, stage, user, time, attributes);
  }

  private static String text(JsonNode j, String field, List<String> problems) {
    JsonNode n = j.get(field);
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      problems.add(field + " is required (a non-empty string)");
      return null;
    }
    if (n.asText().length() > MAX_TEXT) {
      problems.add(field + " is longer than " + MAX_TEXT);
      return null;
    }
    return n.asText();
  }
}
