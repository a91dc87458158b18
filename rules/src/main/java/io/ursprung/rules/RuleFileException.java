package io.ursprung.rules;

import java.util.List;
import java.util.stream.Collectors;

/** A rule file was rejected; carries every error found, in file order. */
public class RuleFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<RuleError> errors;

  /** A rejection with at least one error. */
  public RuleFileException(List<RuleError> errors) {
    super(render(errors));
    this.errors = List.copyOf(errors);
  }

  /** The errors, in file order. */
  public List<RuleError> errors() {
    return errors;
  }

  private static String render(List<RuleError> errors) {
    return errors.size()
        + (errors.size() == 1 ? " error" : " errors")
        + " in rule file:\n"
        + errors.stream().map(RuleError::toString).collect(Collectors.joining("\n"));
  }
}
