package io.ursprung.db;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The store's {@code path_key} (V86) in Java: the text itself up to {@value #MAX_BYTES} UTF-8
 * bytes, else its first {@value #PREFIX_CHARS} characters, a space and the MD5 (hex) of the whole.
 * A B-tree entry holds about 2,700 bytes at most and Linux paths go up to 4,095, so what indexes a
 * path (or a key naming one) holds this instead. Used where SQL cannot call {@code path_key}: rule
 * state in other databases, and the patterns of a file search.
 */
public final class PathKey {
  /** Texts up to this many UTF-8 bytes are their own key. */
  public static final int MAX_BYTES = 2048;

  /** How many characters (code points) of a longer text start its key. */
  public static final int PREFIX_CHARS = 256;

  private PathKey() {}

  /** The key of {@code text}, the same as {@code path_key(text)} in a UTF-8 database. */
  public static String of(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length <= MAX_BYTES) {
      return text;
    }
    return prefix(text) + ' ' + HexFormat.of().formatHex(md5(utf8));
  }

  /** The first {@value #PREFIX_CHARS} characters of {@code text} (all of a shorter one). */
  public static String prefix(String text) {
    int n = text.codePointCount(0, text.length());
    return n <= PREFIX_CHARS ? text : text.substring(0, text.offsetByCodePoints(0, PREFIX_CHARS));
  }

  private static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
  }
}
