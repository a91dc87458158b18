package io.ursprung.rules;

/**
 * One problem in a rule file, printed as {@code file:line:column: message} like a compiler does, so
 * editors can jump to it.
 */
public record RuleError(String file, int line, int column, String message) {

  /** An error at a position. */
  public static RuleError at(String file, Position position, String message) {
    return new RuleError(file, position.line(), position.column(), message);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
