package io.ursprung.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints rules in their normalized form, which is both what {@link RuleId} hashes and valid rule
 * syntax (tests parse it back).
 */
final class RuleText {
  private RuleText() {}

  static String rule(Condition condition, List<Action> actions) {
    return condition(condition)
        + " -> "
        + actions.stream().map(RuleText::action).collect(Collectors.joining("; "));
  }

  static String condition(Condition c) {
    if (c instanceof Condition.Comparison cmp) {
      return cmp.field() + " " + cmp.operator().symbol() + " " + quote(cmp.value());
    } else if (c instanceof Condition.And and) {
      return and.operands().stream()
          .map(o -> o instanceof Condition.Or ? "(" + condition(o) + ")" : condition(o))
          .collect(Collectors.joining(" && "));
    } else if (c instanceof Condition.Or or) {
      return or.operands().stream().map(RuleText::condition).collect(Collectors.joining(" || "));
    } else if (c instanceof Condition.Not not) {
      return not.operand() instanceof Condition.Not
          ? "!" + condition(not.operand())
          : "!(" + condition(not.operand()) + ")";
    }
    throw new IllegalStateException("unknown condition " + c);
  }

  static String action(Action action) {
    return action.accept(
        new Action.Visitor<String>() {
          @Override
          public String dbLoad(Action.DbLoad a) {
            return "DBLOAD " + a.field() + " " + target(a.target());
          }

          @Override
          public String dbTransfer(Action.DbTransfer a) {
            return "DBTRANSFER "
                + quote(a.query())
                + " / "
                + a.stateAttribute()
                + " FROM "
                + a.source()
                + " "
                + target(a.target());
          }

          @Override
          public String logLoad(Action.LogLoad a) {
            return "LOGLOAD "
                + a.field()
                + " MATCH "
                + quote(a.match().source())
                + " FIELDS "
                + fields(a.fields())
                + " DELIM "
                + quote(a.delimiter())
                + " "
                + target(a.target());
          }

          @Override
          public String track(Action.Track a) {
            return "TRACK "
                + quote(a.pathRegex().source())
                + a.repository().map(r -> " AT " + quote(r)).orElse("")
                + " "
                + target(a.target());
          }

          @Override
          public String captureStdout(Action.CaptureStdout a) {
            return "CAPTURESOUT MATCH "
                + quote(a.match().source())
                + " FIELDS "
                + fields(a.fields())
                + " DELIM "
                + quote(a.delimiter())
                + " "
                + target(a.target());
          }

          @Override
          public String alert(Action.Alert a) {
            return "ALERT " + quote(a.message()) + a.target().map(t -> " " + target(t)).orElse("");
          }
        });
  }

  static String target(Target target) {
    if (target instanceof Target.Db db) {
      return "INTO DB "
          + db.alias()
          + " USING "
          + db.table()
          + "/"
          + String.join(",", db.columns());
    }
    return "INTO FILE " + quote(((Target.File) target).path());
  }

  static String fields(List<FieldSpec> specs) {
    return specs.stream().map(RuleText::field).collect(Collectors.joining(","));
  }

  static String field(FieldSpec spec) {
    if (spec instanceof FieldSpec.Token t) {
      return Integer.toString(t.index());
    } else if (spec instanceof FieldSpec.Range r) {
      return range(r.from(), r.to());
    } else if (spec instanceof FieldSpec.Concat c) {
      return c.indexes().stream().map(String::valueOf).collect(Collectors.joining("+"));
    } else if (spec instanceof FieldSpec.Timestamp t) {
      return (t.from() == t.to() ? Integer.toString(t.from()) : range(t.from(), t.to()))
          + "/"
          + t.hourOffset();
    }
    return ((FieldSpec.EventField) spec).name();
  }

  private static String range(int from, int to) {
    return from + "-" + (to == FieldSpec.END ? "e" : Integer.toString(to));
  }

  /** A double-quoted literal that the lexer reads back as {@code s}. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
