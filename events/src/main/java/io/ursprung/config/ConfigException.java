package io.ursprung.config;

import java.util.List;

/**
 * A configuration that cannot be used. Carries every problem found in one pass, so an operator can
 * fix them all before the next start instead of one per restart. Permanent: retrying with the same
 * configuration cannot help.
 */
public class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(render(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  /** Every problem, one sentence each, in the order found. */
  public List<String> problems() {
    return problems;
  }

  private static String render(List<String> problems) {
    StringBuilder sb = new StringBuilder();
    sb.append(problems.size())
        .append(problems.size() == 1 ? " configuration problem:" : " configuration problems:");
    for (String p : problems) {
      sb.append(System.lineSeparator()).append("  - ").append(p);
    }
    return sb.toString();
  }
}
