package io.ursprung.rules;

import java.util.List;
import java.util.Objects;

/**
 * The condition of a rule: comparisons of event fields combined with and, or, not.
 *
 * <p>{@link And} and {@link Or} are n-ary and never directly nest a node of their own kind, so
 * {@code (a && b) && c} and {@code a && (b && c)} are the same tree (and the same {@link RuleId}).
 * Evaluation lives in {@link RuleMatcher}, which compiles this tree once.
 */
public sealed interface Condition {

  /** Comparison operators. */
  enum Operator {
    EQ("="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    /** Regular expression, full match. */
    MATCHES("@");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    /** How the operator is written. */
    public String symbol() {
      return symbol;
    }

    /** The operator written as {@code symbol}, or {@code null}. */
    public static Operator bySymbol(String symbol) {
      for (Operator op : values()) {
        if (op.symbol.equals(symbol)) {
          return op;
        }
      }
      return null;
    }
  }

  /**
   * {@code field op value}.
   *
   * @param field an event field name (see {@link io.ursprung.rules.fields.FieldCatalog})
   * @param operator the operator
   * @param value the literal as written, after string escapes
   * @param regex the compiled value for {@link Operator#MATCHES}, otherwise {@code null}
   */
  record Comparison(String field, Operator operator, String value, Regex regex)
      implements Condition {
    public Comparison {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(operator, "operator");
      Objects.requireNonNull(value, "value");
      if ((operator == Operator.MATCHES) != (regex != null)) {
        throw new IllegalArgumentException("a regex exactly for '@' comparisons");
      }
    }
  }

  /** All operands hold; evaluated left to right, stopping at the first false one. */
  record And(List<Condition> operands) implements Condition {
    public And {
      operands = List.copyOf(operands);
      if (operands.size() < 2 || operands.stream().anyMatch(c -> c instanceof And)) {
        throw new IllegalArgumentException("And takes two or more non-And operands");
      }
    }
  }

  /** Some operand holds; evaluated left to right, stopping at the first true one. */
  record Or(List<Condition> operands) implements Condition {
    public Or {
      operands = List.copyOf(operands);
      if (operands.size() < 2 || operands.stream().anyMatch(c -> c instanceof Or)) {
        throw new IllegalArgumentException("Or takes two or more non-Or operands");
      }
    }
  }

  /** The operand does not hold. */
  record Not(Condition operand) implements Condition {
    public Not {
      Objects.requireNonNull(operand, "operand");
    }
  }
}
