package io.ursprung.backend.http;

import io.javalin.http.Context;
import io.ursprung.db.lineage.NodeId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads typed query parameters and collects every problem, so that one 400 lists them all. Call
 * {@link #check()} after reading the last parameter.
 */
public final class Params {

  /** Longest path accepted (PATH_MAX on Linux). */
  public static final int MAX_PATH = 4096;

  /**
   * Earliest time accepted anywhere in a request. Years 1 to 9999 are what ISO-8601 writes without
   * a sign; they lie well inside PostgreSQL's timestamptz range (4713 BC to 294276 AD, beyond which
   * the store refuses the query or the JDBC conversion throws) and their microseconds since the
   * epoch fit in a long. No provenance is older or newer, so nothing is lost.
   */
  public static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");

  /** Latest time accepted anywhere in a request; see {@link #MIN_TIME}. */
  public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

  /** The accepted range, as the 400 words it. */
  public static final String TIME_RANGE =
      "between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z";

  private final Context ctx;
  private final List<FieldError> errors = new ArrayList<>();

  public Params(Context ctx) {
    this.ctx = ctx;
  }

  private String raw(String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** Whether the parameter is present and not empty. */
  public boolean has(String name) {
    return raw(name) != null;
  }

  /** Records a problem found by the caller. */
  public void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  /** Text of at most {@code maxLength} characters, or null when absent and not required. */
  public String text(String name, boolean required, int maxLength) {
    String v = raw(name);
    if (v == null) {
      if (required) {
        error(name, "is required");
      }
      return null;
    }
    if (v.length() > maxLength) {
      error(name, "must have at most " + maxLength + " characters");
      return null;
    }
    if (v.indexOf('\0') >= 0) {
      error(name, "must not contain NUL characters");
      return null;
    }
    return v;
  }

  /** An integer in [min, max], or {@code fallback} when absent. */
  public Integer integer(String name, Integer fallback, int min, int max) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < min || n > max) {
        error(name, "must be between " + min + " and " + max);
        return fallback;
      }
      return (int) n;
    } catch (NumberFormatException e) {
      error(name, "must be an integer between " + min + " and " + max);
      return fallback;
    }
  }

  /** One of {@code allowed} (case-insensitive), or {@code fallback} when absent. */
  public String oneOf(String name, String fallback, String... allowed) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (Arrays.asList(allowed).contains(lower)) {
      return lower;
    }
    error(name, "must be one of " + String.join(", ", allowed));
    return fallback;
  }

  /** An ISO-8601 instant such as {@code 2026-11-20T09:14:03.512Z}. */
  public Instant time(String name, boolean required) {
    String v = text(name, required, 64);
    if (v == null) {
      return null;
    }
    Instant t;
    try {
      t = Instant.parse(v);
    } catch (DateTimeParseException e) {
      error(name, "must be an ISO-8601 UTC time such as 2026-11-20T09:14:03.512Z");
      return null;
    }
    if (!inRange(t)) {
      error(name, "must be " + TIME_RANGE);
      return null;
    }
    return t;
  }

  /**
   * Whether {@code t} is in the range a request may give ({@link #MIN_TIME}..{@link #MAX_TIME}).
   */
  public static boolean inRange(Instant t) {
    return !t.isBefore(MIN_TIME) && !t.isAfter(MAX_TIME);
  }

  /** A host or cluster name. */
  public String host(String name, boolean required) {
    String v = text(name, required, 253);
    if (v != null && !NodeId.HOST.matcher(v).matches()) {
      error(name, "must be a host name (letters, digits, '.', '_', '-')");
      return null;
    }
    return v;
  }

  /**
   * An absolute, normalised path. Paths are only ever compared with stored names, never opened, but
   * a path with {@code .} or {@code ..} segments can never match a stored (normalised) name, so
   * saying so beats an empty answer.
   */
  public String absolutePath(String name, boolean required) {
    String v = text(name, required, MAX_PATH);
    if (v == null) {
      return null;
    }
    if (!v.startsWith("/")) {
      error(name, "must be an absolute path");
      return null;
    }
    for (String segment : v.substring(1).split("/", -1)) {
      if (segment.equals(".") || segment.equals("..") || (segment.isEmpty() && v.length() > 1)) {
        error(name, "must be normalised (no '.', '..' or empty segments)");
        return null;
      }
    }
    return v;
  }

  /** A node id ({@code p:...} or {@code f:...}). */
  public NodeId node(String name, boolean required) {
    String v = text(name, required, 600);
    if (v == null) {
      return null;
    }
    try {
      return parseNode(v);
    } catch (IllegalArgumentException e) {
      error(name, e.getMessage());
      return null;
    }
  }

  /**
   * Parses a node id from a request, with its time in the accepted range. Every handler that reads
   * a node id goes through here: {@link NodeId#parse} takes any long of microseconds, which reaches
   * years PostgreSQL cannot hold.
   *
   * @throws IllegalArgumentException with a message fit for an API client
   */
  public static NodeId parseNode(String text) {
    NodeId id = NodeId.parse(text);
    Instant t =
        id instanceof NodeId.Process p ? p.start() : ((NodeId.FileVersion) id).versionTime();
    if (t != null && !inRange(t)) {
      throw new IllegalArgumentException("the time of a node id must be " + TIME_RANGE);
    }
    return id;
  }

  /** A comma-separated list of at most {@code max} items. */
  public List<String> list(String name, boolean required, int max) {
    String v = text(name, required, 600 * max);
    if (v == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    if (out.size() > max) {
      error(name, "must have at most " + max + " items");
    }
    return out;
  }

  /** The problems so far. */
  public List<FieldError> errors() {
    return List.copyOf(errors);
  }

  /** Throws a 400 listing every problem, if there is one. */
  public void check() {
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
  }
}
