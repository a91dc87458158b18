package io.ursprung.rules;

import java.util.List;

/** Parses rule text; the language is described in {@code docs/rules.md}. */
public final class RuleParser {
  private RuleParser() {}

  /**
   * Parses a whole rule file.
   *
   * @param file the name used in messages and in {@link Rule#file()}
   * @param text the file's content
   * @throws RuleFileException listing every error, if there is any; a file is never half-loaded
   */
  public static RuleSet parse(String file, String text) throws RuleFileException {
    Parser.Result result = Parser.parse(file, text);
    if (!result.errors().isEmpty()) {
      throw new RuleFileException(result.errors());
    }
    return new RuleSet(file, result.rules());
  }

  /** Every error in {@code text}, in file order; empty when it is a valid rule file. */
  public static List<RuleError> check(String file, String text) {
    return Parser.parse(file, text).errors();
  }
}
