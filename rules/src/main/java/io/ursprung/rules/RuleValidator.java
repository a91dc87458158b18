package io.ursprung.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A check of parsed rules against the world outside the file, run by {@link RuleFileLoader} after
 * parsing; its errors reject the file like syntax errors do. Executors add their own (a TRACK
 * repository that cannot be created, say).
 */
@FunctionalInterface
public interface RuleValidator {

  /** The problems with {@code rules}; empty when there are none. */
  List<RuleError> validate(RuleSet rules);

  /**
   * Every {@code INTO DB} alias and {@code DBTRANSFER ... FROM} source must be one of {@code
   * aliases}, the database aliases of the consumer's configuration.
   */
  static RuleValidator databaseAliases(Set<String> aliases) {
    Set<String> known = new TreeSet<>(aliases);
    return rules -> {
      List<RuleError> errors = new ArrayList<>();
      for (Rule rule : rules.rules()) {
        for (Action action : rule.actions()) {
          if (action instanceof Action.DbTransfer t && !known.contains(t.source())) {
            errors.add(unknown(rules.file(), t.sourcePosition(), t.source(), known));
          }
          if (action.optionalTarget().orElse(null) instanceof Target.Db db
              && !known.contains(db.alias())) {
            errors.add(unknown(rules.file(), db.position(), db.alias(), known));
          }
        }
      }
      return errors;
    };
  }

  private static RuleError unknown(String file, Position at, String alias, Set<String> known) {
    return RuleError.at(
        file,
        at,
        "unknown database alias '"
            + alias
            + "'; configured aliases: "
            + (known.isEmpty() ? "none" : String.join(", ", known)));
  }
}
