package io.ursprung.rules;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of one file, in file order (which is also the order in which matching rules fire).
 *
 * @param file the file's name as used in messages
 * @param rules the rules; ids are unique
 */
public record RuleSet(String file, List<Rule> rules) {
  public RuleSet {
    Objects.requireNonNull(file, "file");
    rules = List.copyOf(rules);
    if (rules.stream().map(Rule::id).distinct().count() != rules.size()) {
      throw new IllegalArgumentException("duplicate rule ids");
    }
  }

  /** A set without rules. */
  public static RuleSet empty(String file) {
    return new RuleSet(file, List.of());
  }

  /** The rule with this id. */
  public Optional<Rule> rule(RuleId id) {
    return rules.stream().filter(r -> r.id().equals(id)).findFirst();
  }
}
