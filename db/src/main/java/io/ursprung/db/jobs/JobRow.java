package io.ursprung.db.jobs;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One job record mapped to the columns of its table. The record's attributes are strings (they come
 * from a file any user may write), so every value is checked here, before the batch is written: a
 * record that can never be stored is refused once, not retried.
 *
 * @param table the table ({@code job_initialized}, ..., {@code job_accounting})
 * @param columns column names, in order
 * @param values values for the columns (String, Integer, BigDecimal or OffsetDateTime in UTC; null
 *     allowed)
 */
public record JobRow(String table, List<String> columns, List<Object> values) {

  /** The stages a record may have; {@code accounting} carries resource-manager accounting. */
  public static final Set<String> STAGES =
      Set.of("initialized", "queued", "started", "cancelled", "finished", "accounting");

  /** Allowed {@code finalState} values. */
  public static final Set<String> FINAL_STATES =
      Set.of(
          "SUCCESSFUL_COMPLETION",
          "FAIL_USER_TERMINATED",
          "FAIL_RESOURCE_LIMIT",
          "FAIL_LRM_FAILURE");

  /** Allowed cancel {@code reason} values. */
  public static final Set<String> CANCEL_REASONS = Set.of("LIFETIME_EXPIRED", "USER", "SERVICE");

  public JobRow {
    Objects.requireNonNull(table, "table");
    columns = List.copyOf(columns);
    values = Collections.unmodifiableList(new ArrayList<>(values));
  }

  private enum Kind {
    TEXT,
    TIME,
    INT,
    NUMBER,
    FINAL_STATE,
    CANCEL_REASON
  }

  /** How one record attribute becomes one column. {@code TIME} columns default to the time. */
  private record Col(String column, String attribute, Kind kind, boolean required) {}

  private static Col text(String column, String attribute) {
    return new Col(column, attribute, Kind.TEXT, false);
  }

  private static final Map<String, List<Col>> COLUMNS =
      Map.of(
          "initialized",
          List.of(
              text("request_id", "requestId"),
              text("client_host", "clientHost"),
              text("client_submission_id", "clientSubmissionId"),
              text("gateway_user", "gatewayUser"),
              new Col("creation_time", "creationTime", Kind.TIME, true),
              text("resource_manager", "resourceManager"),
              text("version", "version"),
              text("job_description", "jobDescription")),
          "queued",
          List.of(
              new Col("local_job_id", "localJobId", Kind.TEXT, true),
              new Col("queued_time", "queuedTime", Kind.TIME, true),
              text("stage_in_id", "stageInId"),
              text("queue", "queue")),
          "started",
          List.of(
              new Col("start_time", "startTime", Kind.TIME, true),
              new Col("executing_host", "executingHost", Kind.TEXT, true),
              new Col("session_id", "sessionId", Kind.INT, false),
              new Col("process_group_id", "processGroupId", Kind.INT, false)),
          "cancelled",
          List.of(
              text("request_id", "requestId"),
              new Col("reason", "reason", Kind.CANCEL_REASON, true),
              new Col("cancel_time", "cancelTime", Kind.TIME, true)),
          "finished",
          List.of(
              new Col("lrm_finish_time", "lrmFinishTime", Kind.TIME, false),
              new Col("service_finish_time", "serviceFinishTime", Kind.TIME, true),
              text("stage_out_id", "stageOutId"),
              text("clean_up_id", "cleanUpId"),
              new Col("elapsed_seconds", "elapsedSeconds", Kind.NUMBER, false),
              new Col("final_state", "finalState", Kind.FINAL_STATE, true),
              new Col("exit_code", "exitCode", Kind.INT, false)),
          "accounting",
          List.of(
              text("resource_manager", "resourceManager"),
              new Col("local_job_id", "localJobId", Kind.TEXT, true),
              new Col("queued_time", "queuedTime", Kind.TIME, true),
              new Col("start_time", "startTime", Kind.TIME, false),
              new Col("finish_time", "finishTime", Kind.TIME, false),
              new Col("elapsed_seconds", "elapsedSeconds", Kind.NUMBER, false),
              new Col("user_cpu_seconds", "userCpuSeconds", Kind.NUMBER, false),
              new Col("system_cpu_seconds", "systemCpuSeconds", Kind.NUMBER, false),
              text("state", "state")));

  /**
   * Maps a record. Times missing from the attributes default to the record's time (the stage's own
   * time); {@code executingHost} defaults to the uploading host.
   *
   * @param eventId the event id (derived from the record file's content)
   * @param host the host that uploaded the record
   * @throws IllegalArgumentException naming every problem when the record cannot be stored
   */
  public static JobRow of(
      String eventId,
      String host,
      String jobId,
      String stage,
      String user,
      Instant time,
      Map<String, String> attributes) {
    List<String> problems = new ArrayList<>();
    List<Col> cols = COLUMNS.get(stage);
    if (cols == null) {
      throw new IllegalArgumentException(
          "stage must be one of " + new java.util.TreeSet<>(STAGES) + ", got " + stage);
    }
    if (user == null || user.isBlank()) {
      problems.add("user is required");
    }
    List<String> names = new ArrayList<>(List.of("event_id", "recorded_host", "user_name"));
    List<Object> values = new ArrayList<>(List.of(eventId, host, user == null ? "" : user));
    names.add(stage.equals("accounting") ? "record_id" : "job_id");
    values.add(jobId);
    for (Col c : cols) {
      String raw = attributes.get(c.attribute());
      if (raw != null && raw.isBlank()) {
        raw = null;
      }
      Object v = null;
      boolean invalid = false;
      try {
        v = raw == null ? null : convert(c.kind(), raw);
      } catch (IllegalArgumentException e) {
        problems.add(c.attribute() + ": " + e.getMessage());
        invalid = true;
      }
      if (v == null && c.kind() == Kind.TIME && c.required()) {
        v = time.atOffset(ZoneOffset.UTC);
      }
      if (v == null && c.column().equals("executing_host")) {
        v = host;
      }
      if (v == null && c.required() && !invalid) {
        problems.add(c.attribute() + " is required for a " + stage + " record");
      }
      names.add(c.column());
      values.add(v);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return new JobRow("job_" + stage, names, values);
  }

  private static Object convert(Kind kind, String raw) {
    switch (kind) {
      case TEXT:
        return raw;
      case TIME:
        try {
          return OffsetDateTime.parse(raw).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("not an ISO-8601 time with a zone: " + raw);
        }
      case INT:
        try {
          return Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not an integer: " + raw);
        }
      case NUMBER:
        try {
          BigDecimal d = new BigDecimal(raw.trim());
          if (d.signum() < 0) {
            throw new IllegalArgumentException("negative: " + raw);
          }
          return d;
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a number: " + raw);
        }
      case FINAL_STATE:
        return oneOf(raw, FINAL_STATES);
      case CANCEL_REASON:
        return oneOf(raw, CANCEL_REASONS);
      default:
        throw new IllegalStateException(kind.name());
    }
  }

  /** Accepts {@code lifetime-expired} for {@code LIFETIME_EXPIRED}: hooks are shell scripts. */
  private static String oneOf(String raw, Set<String> allowed) {
    String v = raw.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    if (!allowed.contains(v)) {
      throw new IllegalArgumentException(
          "must be one of " + new java.util.TreeSet<>(allowed) + ", got " + raw);
    }
    return v;
  }
}
