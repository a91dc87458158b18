package io.ursprung.rules;

/**
 * Where something is in a rule file: 1-based physical line and column (a tab counts as one column).
 */
public record Position(int line, int column) {
  @Override
  public String toString() {
    return line + ":" + column;
  }
}
