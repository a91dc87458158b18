package io.ursprung.rules;

import java.util.List;
import java.util.Objects;

/**
 * One rule: when {@code condition} holds for an event, every action runs.
 *
 * @param id identity derived from {@link #normalizedText()}, stable across reformatting
 * @param file the rule file's name, for messages
 * @param position where the rule starts
 * @param condition the condition
 * @param actions the actions, in the order written (at least one)
 */
public record Rule(
    RuleId id, String file, Position position, Condition condition, List<Action> actions) {
  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(condition, "condition");
    actions = List.copyOf(actions);
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("a rule has at least one action");
    }
  }

  /** A rule whose id is computed from its content. */
  public static Rule of(String file, Position position, Condition condition, List<Action> actions) {
    return new Rule(
        RuleId.of(RuleText.rule(condition, actions)), file, position, condition, actions);
  }

  /**
   * The rule in one canonical form: single spaces, every literal quoted, minimal parentheses. It
   * parses back to an equal rule.
   */
  public String normalizedText() {
    return RuleText.rule(condition, actions);
  }

  @Override
  public String toString() {
    return file + ":" + position + ": " + normalizedText();
  }
}
