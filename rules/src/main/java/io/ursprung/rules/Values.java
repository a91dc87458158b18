package io.ursprung.rules;

import java.math.BigDecimal;

/**
 * How condition operands compare: numerically when both sides are numbers, as strings otherwise.
 * Integers compare exactly as {@code long} (inodes need all 64 bits); other numbers as {@link
 * BigDecimal}.
 */
final class Values {
  private Values() {}

  /** The string form of a field value: booleans as {@code true}/{@code false}. */
  static String asString(Object value) {
    return value instanceof String s ? s : String.valueOf(value);
  }

  /**
   * {@code value} as a number ({@link Long} or {@link BigDecimal}), or {@code null} when it is not
   * one. Strings are numbers when they are entirely a decimal literal: {@code 42}, {@code -1.5},
   * {@code 1e3}; hex, {@code NaN} and surrounding blanks are not.
   */
  static Number asNumber(Object value) {
    if (value instanceof Long || value instanceof BigDecimal) {
      return (Number) value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
    }
    if (value instanceof Float f) {
      return f.isNaN() || f.isInfinite() ? null : new BigDecimal(f.toString());
    }
    if (value instanceof String s) {
      return parse(s);
    }
    return null;
  }

  /** Compares two numbers from {@link #asNumber}. */
  static int compareNumbers(Number a, Number b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    return decimal(a).compareTo(decimal(b));
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : BigDecimal.valueOf(n.longValue());
  }

  private static Number parse(String s) {
    int n = s.length();
    int i = 0;
    if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      digits++;
    }
    boolean integral = true;
    if (i < n && s.charAt(i) == '.') {
      integral = false;
      i++;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return null;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      integral = false;
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        exp++;
      }
      if (exp == 0) {
        return null;
      }
    }
    if (i != n) {
      return null;
    }
    if (integral) {
      try {
        return Long.parseLong(s.charAt(0) == '+' ? s.substring(1) : s);
      } catch (NumberFormatException tooLong) {
        return new BigDecimal(s);
      }
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
