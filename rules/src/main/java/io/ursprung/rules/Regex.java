package io.ursprung.rules;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A regular expression from a rule file, compiled once when the file is loaded (the original
 * recompiled per event). Java syntax; equality is by source text, since {@link Pattern} has none.
 */
public final class Regex {
  private final String source;
  private final Pattern pattern;

  /** Compiles {@code source}; throws {@link java.util.regex.PatternSyntaxException} if invalid. */
  public Regex(String source) {
    this.source = Objects.requireNonNull(source, "source");
    this.pattern = Pattern.compile(source);
  }

  /** The expression as written (after string escapes). */
  public String source() {
    return source;
  }

  /** The compiled pattern. */
  public Pattern pattern() {
    return pattern;
  }

  /** Whether the whole of {@code text} matches. */
  public boolean matchesFully(CharSequence text) {
    return pattern.matcher(text).matches();
  }

  /** Whether the expression matches somewhere in {@code text}. */
  public boolean occursIn(CharSequence text) {
    return pattern.matcher(text).find();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Regex r && r.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
