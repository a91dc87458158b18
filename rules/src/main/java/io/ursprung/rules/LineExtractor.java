package io.ursprung.rules;

import io.ursprung.rules.fields.EventFields;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a matching log or stdout line into a record per the {@link FieldSpec}s of {@code LOGLOAD}
 * and {@code CAPTURESOUT}. Pure, so executors share it and it is tested without files.
 *
 * <p>Unlike the original, a line too short for the specs or with a bad timestamp is refused with a
 * reason (the executor skips and counts it) instead of crashing the action's thread; composite
 * fields carry no stray comma; timestamp offsets roll over months and leap years correctly.
 */
public final class LineExtractor {
  /** The timestamp format of timestamp field specs. */
  public static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** A line that does not fit the field specs. */
  public static final class MismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    MismatchException(String message) {
      super(message);
    }
  }

  private LineExtractor() {}

  /**
   * Splits {@code line} on every occurrence of {@code delimiter} (literally; consecutive delimiters
   * give empty tokens) and builds one value per spec. An event field the event does not have gives
   * an empty value.
   */
  public static List<String> extract(
      String line, String delimiter, List<FieldSpec> specs, EventFields event)
      throws MismatchException {
    List<String> tokens = split(line, delimiter);
    List<String> values = new ArrayList<>(specs.size());
    for (FieldSpec spec : specs) {
      values.add(value(spec, tokens, event));
    }
    return values;
  }

  /** {@code line} split on every occurrence of {@code delimiter}. */
  public static List<String> split(String line, String delimiter) {
    if (delimiter.isEmpty()) {
      throw new IllegalArgumentException("empty delimiter");
    }
    List<String> tokens = new ArrayList<>();
    int from = 0;
    while (true) {
      int at = line.indexOf(delimiter, from);
      if (at < 0) {
        tokens.add(line.substring(from));
        return tokens;
      }
      tokens.add(line.substring(from, at));
      from = at + delimiter.length();
    }
  }

  private static String value(FieldSpec spec, List<String> tokens, EventFields event)
      throws MismatchException {
    if (spec instanceof FieldSpec.Token t) {
      return token(tokens, t.index(), spec);
    } else if (spec instanceof FieldSpec.Range r) {
      return range(tokens, r.from(), r.to(), spec);
    } else if (spec instanceof FieldSpec.Concat c) {
      StringBuilder out = new StringBuilder();
      for (int i : c.indexes()) {
        out.append(token(tokens, i, spec));
      }
      return out.toString();
    } else if (spec instanceof FieldSpec.Timestamp t) {
      String text = range(tokens, t.from(), t.to(), spec);
      try {
        return LocalDateTime.parse(text.strip(), TIMESTAMP)
            .plusHours(t.hourOffset())
            .format(TIMESTAMP);
      } catch (DateTimeParseException e) {
        throw new MismatchException(
            "field "
                + RuleText.field(spec)
                + ": '"
                + text
                + "' is not a yyyy-MM-dd HH:mm:ss timestamp");
      }
    }
    Object v = event.get(((FieldSpec.EventField) spec).name());
    return v == null ? "" : Values.asString(v);
  }

  private static String token(List<String> tokens, int i, FieldSpec spec) throws MismatchException {
    if (i >= tokens.size()) {
      throw tooShort(tokens, i, spec);
    }
    return tokens.get(i);
  }

  private static String range(List<String> tokens, int from, int to, FieldSpec spec)
      throws MismatchException {
    int last = to == FieldSpec.END ? tokens.size() - 1 : to;
    if (from >= tokens.size() || last >= tokens.size()) {
      throw tooShort(tokens, Math.max(from, last), spec);
    }
    return String.join(" ", tokens.subList(from, last + 1));
  }

  private static MismatchException tooShort(List<String> tokens, int needed, FieldSpec spec) {
    return new MismatchException(
        "field "
            + RuleText.field(spec)
            + " needs token "
            + needed
            + " but the line has "
            + tokens.size()
            + (tokens.size() == 1 ? " token" : " tokens"));
  }
}
