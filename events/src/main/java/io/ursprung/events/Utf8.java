package io.ursprung.events;

/**
 * Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), checked
 * on bytes without decoding them. Shared by the plugin (audit text fields) and the consumer (the
 * bytes it archives as received).
 */
public final class Utf8 {
  private Utf8() {}

  /** The length of the well-formed sequence that starts at {@code i} (before {@code end}), or 0. */
  public static int sequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xff;
    if (c < 0x80) {
      return 1;
    }
    int n;
    int min;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      min = 0x10000;
    } else {
      return 0;
    }
    if (i + n > end) {
      return 0;
    }
    int cp = c & (0xFF >> (n + 1));
    for (int k = 1; k < n; k++) {
      int cc = b[i + k] & 0xff;
      if ((cc & 0xC0) != 0x80) {
        return 0;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return 0;
    }
    return n;
  }

  /** The index of the first byte in [start, end) not part of well-formed UTF-8, or -1. */
  public static int firstInvalid(byte[] b, int start, int end) {
    int i = start;
    while (i < end) {
      int n = sequenceLength(b, i, end);
      if (n <= 0) {
        return i;
      }
      i += n;
    }
    return -1;
  }
}
