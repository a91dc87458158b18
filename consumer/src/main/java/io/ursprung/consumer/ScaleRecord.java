package io.ursprung.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ursprung.events.MalformedEventException;
import io.ursprung.events.ProvEvent;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Spectrum Scale clustered watch folder event as mmwatch's kafkasink publishes it: a JSON
 * object whose values are all strings (capture-formats.md §5.3).
 *
 * @param id deterministic id: {@code scale:} plus a digest of the message bytes, so a message
 *     delivered twice (Kafka or the sink retrying) is written once
 * @param events the event names as a set ({@code "IN_CREATE IN_ISDIR"} in any order)
 * @param path the path, may be null
 * @param cluster {@code clusterName}
 * @param node {@code nodeName}: the host whose process did the I/O
 * @param fs {@code fsName}
 * @param inode 64-bit inode (parsed unsigned; stored as the same 64 bits in a signed bigint)
 * @param cookie pairs IN_MOVED_FROM with IN_MOVED_TO; 0 otherwise
 * @param size {@code fileSize}, when given
 * @param pid {@code processId} on {@code node}, null when absent or 0
 * @param time {@code eventTime}, UTC
 */
public record ScaleRecord(
    String id,
    Set<String> events,
    String path,
    String cluster,
    String node,
    String fs,
    long inode,
    long cookie,
    Long size,
    Integer pid,
    Instant time) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * {@code 2020-05-29_23:28:02-0700}, optional fraction, {@code _}, {@code T} or blank between date
   * and time, zone {@code Z}, {@code ±hhmm}, {@code ±hh:mm} or none (UTC).
   */
  private static final Pattern TIME =
      Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2})[_T ](\\d{2}:\\d{2}:\\d{2})(\\.\\d{1,9})?\\s*"
              + "(Z|[+-]\\d{2}:?\\d{2}|UTC)?");

  /** Whether the event set contains {@code name}. */
  public boolean is(String name) {
    return events.contains(name);
  }

  /** Parses a message. */
  public static ScaleRecord parse(byte[] value) throws MalformedEventException {
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (IOException e) {
      throw new MalformedEventException("not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedEventException("a watch folder event must be a JSON object");
    }
    String event = required(root, "event");
    Set<String> events = new TreeSet<>();
    for (String s : event.trim().split("\\s+")) {
      if (!s.startsWith("IN_")) {
        throw new MalformedEventException(
            "unknown event name '" + s + "' in event '" + event + "'");
      }
      events.add(s);
    }
    String pidText = optional(root, "processId");
    Integer pid = null;
    if (pidText != null && !pidText.isBlank()) {
      long p = number(pidText, "processId", false);
      // Checked before narrowing: a cast would turn 4294967297 into pid 1, a real process.
      // Linux pids stay below 2^22; anything an int can hold is accepted, the rest is not a pid.
      if (p < 0 || p > Integer.MAX_VALUE) {
        throw new MalformedEventException(
            "processId "
                + pidText.trim()
                + " is not a process id (0 to "
                + Integer.MAX_VALUE
                + ")");
      }
      pid = p > 0 ? (int) p : null;
    }
    String sizeText = optional(root, "fileSize");
    String cookieText = optional(root, "cookie");
    return new ScaleRecord(
        "scale:" + digest(value),
        Collections.unmodifiableSet(events),
        optional(root, "path"),
        host(root, "clusterName"),
        host(root, "nodeName"),
        required(root, "fsName"),
        number(required(root, "inode"), "inode", true),
        cookieText == null || cookieText.isBlank() ? 0 : number(cookieText, "cookie", true),
        sizeText == null || sizeText.isBlank() ? null : number(sizeText, "fileSize", false),
        pid,
        time(required(root, "eventTime")));
  }

  /** Parses {@code eventTime} leniently (see {@link #TIME}). */
  static Instant time(String text) throws MalformedEventException {
    Matcher m = TIME.matcher(text.trim());
    if (!m.matches()) {
      throw new MalformedEventException("eventTime is not a time: '" + text + "'");
    }
    Instant at;
    try {
      LocalDate d = LocalDate.parse(m.group(1));
      LocalTime t = LocalTime.parse(m.group(2));
      int nanos = 0;
      if (m.group(3) != null) {
        String f = (m.group(3).substring(1) + "000000000").substring(0, 9);
        nanos = Integer.parseInt(f);
      }
      ZoneOffset zone = ZoneOffset.UTC;
      String z = m.group(4);
      if (z != null && !z.equals("Z") && !z.equals("UTC")) {
        zone = ZoneOffset.of(z.length() == 5 ? z.substring(0, 3) + ":" + z.substring(3) : z);
      }
      at = d.atTime(t).withNano(nanos).toInstant(zone);
    } catch (RuntimeException e) {
      throw new MalformedEventException("eventTime is not a time: '" + text + "'", e);
    }
    // The same bound as for every event: times become microsecond keys in a long.
    String problem = ProvEvent.timeProblem("eventTime", at);
    if (problem != null) {
      throw new MalformedEventException(problem);
    }
    return at;
  }

  /**
   * A cluster or node name: it becomes the host of stored processes and files, so it must be one
   * the REST API can put into node ids (the rule every event's host follows).
   */
  private static String host(JsonNode root, String name) throws MalformedEventException {
    String v = required(root, name);
    String problem = ProvEvent.hostProblem(name, v);
    if (problem != null) {
      throw new MalformedEventException(problem);
    }
    return v;
  }

  private static String required(JsonNode root, String name) throws MalformedEventException {
    String v = optional(root, name);
    if (v == null || v.isBlank()) {
      throw new MalformedEventException("missing field '" + name + "'");
    }
    return v;
  }

  private static String optional(JsonNode root, String name) {
    JsonNode n = root.get(name);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static long number(String text, String name, boolean unsigned)
      throws MalformedEventException {
    try {
      String s = text.trim();
      return unsigned ? Long.parseUnsignedLong(s) : Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new MalformedEventException(name + " is not a number: '" + text + "'", e);
    }
  }

  private static String digest(byte[] value) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(value);
      return HexFormat.of().formatHex(Arrays.copyOf(d, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  @Override
  public String toString() {
    return String.join(" ", events).toLowerCase(Locale.ROOT) + " " + path;
  }
}
