package io.ursprung.rules;

import io.ursprung.rules.fields.EventFields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conditions of a {@link RuleSet} compiled into predicates once, then tested against every
 * event.
 *
 * <p>Semantics (see {@code docs/rules.md}): a comparison on a field the event does not have is
 * false, whatever the operator, including {@code !=}; {@code =}, {@code !=}, {@code <}, {@code <=},
 * {@code >}, {@code >=} compare numerically when both the field value and the literal are numbers
 * and as strings (case-sensitive, by UTF-16 code unit) otherwise; {@code @} is a full regex match
 * against the value's string form. Evaluation never throws: a condition that fails (a regex that
 * overflows the stack on a huge value, say) counts as not matching and is logged, so one bad rule
 * cannot stop ingest.
 */
public final class RuleMatcher {
  private static final Logger LOG = LoggerFactory.getLogger(RuleMatcher.class);

  private final RuleSet rules;
  private final List<Predicate<EventFields>> predicates;
  private final AtomicLong failures = new AtomicLong();

  private RuleMatcher(RuleSet rules, List<Predicate<EventFields>> predicates) {
    this.rules = rules;
    this.predicates = predicates;
  }

  /** Compiles every rule's condition. */
  public static RuleMatcher compile(RuleSet rules) {
    List<Predicate<EventFields>> predicates = new ArrayList<>();
    for (Rule rule : rules.rules()) {
      predicates.add(compile(rule.condition()));
    }
    return new RuleMatcher(rules, List.copyOf(predicates));
  }

  /** The rules compiled. */
  public RuleSet rules() {
    return rules;
  }

  /** The rules whose condition holds for {@code event}, in file order; all of them fire. */
  public List<Rule> matching(EventFields event) {
    List<Rule> out = new ArrayList<>(2);
    for (int i = 0; i < predicates.size(); i++) {
      if (test(i, event)) {
        out.add(rules.rules().get(i));
      }
    }
    return out;
  }

  /** Whether the condition of the rule at {@code index} (file order) holds. */
  public boolean matches(int index, EventFields event) {
    return test(index, event);
  }

  /** How many evaluations failed with an exception and were counted as no match. */
  public long evaluationFailures() {
    return failures.get();
  }

  private boolean test(int i, EventFields event) {
    try {
      return predicates.get(i).test(event);
    } catch (RuntimeException | StackOverflowError e) {
      // Log the first failure at WARN, then at DEBUG, so a rule failing on every event does not
      // flood the log; the counter keeps the total.
      long n = failures.incrementAndGet();
      Rule rule = rules.rules().get(i);
      if (n == 1) {
        LOG.warn("Rule {} failed on {}; counted as no match: {}", rule, event, e.toString());
      } else {
        LOG.debug("Rule {} failed on {}: {}", rule, event, e.toString());
      }
      return false;
    }
  }

  /** Compiles one condition into a predicate. */
  public static Predicate<EventFields> compile(Condition condition) {
    if (condition instanceof Condition.Comparison c) {
      return comparison(c);
    } else if (condition instanceof Condition.And and) {
      @SuppressWarnings("unchecked")
      Predicate<EventFields>[] ops =
          and.operands().stream().map(RuleMatcher::compile).toArray(Predicate[]::new);
      return e -> {
        for (Predicate<EventFields> p : ops) {
          if (!p.test(e)) {
            return false;
          }
        }
        return true;
      };
    } else if (condition instanceof Condition.Or or) {
      @SuppressWarnings("unchecked")
      Predicate<EventFields>[] ops =
          or.operands().stream().map(RuleMatcher::compile).toArray(Predicate[]::new);
      return e -> {
        for (Predicate<EventFields> p : ops) {
          if (p.test(e)) {
            return true;
          }
        }
        return false;
      };
    } else if (condition instanceof Condition.Not not) {
      return compile(not.operand()).negate();
    }
    throw new IllegalArgumentException("unknown condition " + condition);
  }

  private static Predicate<EventFields> comparison(Condition.Comparison c) {
    String field = c.field();
    String literal = c.value();
    if (c.operator() == Condition.Operator.MATCHES) {
      java.util.regex.Pattern pattern = c.regex().pattern();
      return e -> {
        Object v = e.get(field);
        return v != null && pattern.matcher(Values.asString(v)).matches();
      };
    }
    Number number = Values.asNumber(literal);
    Condition.Operator op = c.operator();
    return e -> {
      Object v = e.get(field);
      if (v == null) {
        return false;
      }
      int cmp;
      Number n = number == null ? null : Values.asNumber(v);
      if (n != null) {
        cmp = Values.compareNumbers(n, number);
      } else {
        cmp = Values.asString(v).compareTo(literal);
      }
      return switch (op) {
        case EQ -> cmp == 0;
        case NE -> cmp != 0;
        case LT -> cmp < 0;
        case LE -> cmp <= 0;
        case GT -> cmp > 0;
        case GE -> cmp >= 0;
        case MATCHES -> throw new IllegalStateException("handled above");
      };
    };
  }
}
