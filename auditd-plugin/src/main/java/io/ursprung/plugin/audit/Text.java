package io.ursprung.plugin.audit;

import io.ursprung.events.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Byte-level helpers for audit text: number parsing without intermediate strings, hex decoding, and
 * turning file-name bytes (which need not be UTF-8) into Java strings.
 */
public final class Text {
  private static final byte[] HEX_VALUE = new byte[256];
  private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

  /** Fields the kernel logs with audit_log_untrustedstring (hex when unsafe). */
  private static final Set<String> ENCODED =
      Set.of(
          "name",
          "cwd",
          "exe",
          "comm",
          "proctitle",
          "path",
          "dir",
          "watch",
          "ocomm",
          "data",
          "cmd",
          "acct",
          "addr",
          "saddr",
          "key",
          "cgroup",
          "grp",
          "vm",
          "old-chardev",
          "new-chardev",
          "root_dir",
          "sw",
          "old_vmm",
          "new_vmm");

  static {
    java.util.Arrays.fill(HEX_VALUE, (byte) -1);
    for (int i = 0; i < 10; i++) {
      HEX_VALUE['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      HEX_VALUE['A' + i] = (byte) (10 + i);
      HEX_VALUE['a' + i] = (byte) (10 + i);
    }
  }

  private Text() {}

  /**
   * Whether the kernel logs field key of a record of this type as an untrusted string. aN is one
   * only in EXECVE: elsewhere (SYSCALL, SOCKETCALL) a0..a3 are hex numbers, and numbers such as
   * {@code a0=10} are valid upper-case hex that must not be turned into bytes.
   */
  static boolean isEncodedField(int recordType, String key) {
    if (ENCODED.contains(key)) {
      return true;
    }
    if (recordType == RecordTypes.EXECVE
        && key.length() >= 2
        && key.charAt(0) == 'a'
        && Character.isDigit(key.charAt(1))) {
      return !key.endsWith("_len");
    }
    return false;
  }

  static boolean isAbsentToken(byte[] b, int s, int e) {
    int len = e - s;
    if (len == 1) {
      return b[s] == '?';
    }
    if (len == 6) {
      return b[s] == '('
          && b[s + 5] == ')'
          && (regionEquals(b, s, "(null)") || regionEquals(b, s, "(none)"));
    }
    return len == 0;
  }

  static boolean regionEquals(byte[] b, int s, String ascii) {
    int n = ascii.length();
    if (s + n > b.length) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[s + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Signed decimal; dflt when empty or not a number. */
  public static long parseDec(byte[] b, int s, int e, long dflt) {
    if (s >= e) {
      return dflt;
    }
    boolean neg = false;
    if (b[s] == '-') {
      neg = true;
      s++;
      if (s >= e) {
        return dflt;
      }
    }
    long v = 0;
    for (int i = s; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return dflt;
      }
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }

  private static final long U64_MAX_DIV_10 = Long.divideUnsigned(-1L, 10);
  private static final long U64_MAX_MOD_10 = Long.remainderUnsigned(-1L, 10);

  /**
   * Unsigned 64-bit decimal (inode): a long holding the value's bits, as {@link
   * Long#parseUnsignedLong} gives, so values of 2^63 and more are negative; null when empty, not a
   * number or beyond 64 bits. Null rather than a default because every long is a valid result.
   */
  public static Long parseUnsignedDec(byte[] b, int s, int e) {
    if (s >= e) {
      return null;
    }
    long v = 0;
    for (int i = s; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return null;
      }
      if (Long.compareUnsigned(v, U64_MAX_DIV_10) > 0
          || (v == U64_MAX_DIV_10 && d > U64_MAX_MOD_10)) {
        return null;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** Unsigned hexadecimal (optionally 0x-prefixed), up to 64 bits; dflt when not hex. */
  public static long parseHex(byte[] b, int s, int e, long dflt) {
    if (e - s > 2 && b[s] == '0' && (b[s + 1] == 'x' || b[s + 1] == 'X')) {
      s += 2;
    }
    if (s >= e || e - s > 16) {
      return dflt;
    }
    long v = 0;
    for (int i = s; i < e; i++) {
      int d = HEX_VALUE[b[i] & 0xff];
      if (d < 0) {
        return dflt;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** Octal (mode=0100644, OPENAT2 oflag=0...); dflt when not octal. */
  public static long parseOct(byte[] b, int s, int e, long dflt) {
    if (s >= e) {
      return dflt;
    }
    long v = 0;
    for (int i = s; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 7) {
        return dflt;
      }
      v = (v << 3) | d;
    }
    return v;
  }

  /** Non-empty, even length, upper-case hex digits only: the kernel's encoding of unsafe values. */
  public static boolean isHex(byte[] b, int s, int e) {
    int len = e - s;
    if (len == 0 || (len & 1) != 0) {
      return false;
    }
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  /** Decodes hex digits (already validated) into bytes. */
  public static byte[] decodeHex(byte[] b, int s, int e) {
    byte[] out = new byte[(e - s) >> 1];
    for (int i = 0, p = s; i < out.length; i++, p += 2) {
      out[i] = (byte) ((HEX_VALUE[b[p] & 0xff] << 4) | HEX_VALUE[b[p + 1] & 0xff]);
    }
    return out;
  }

  static String decodeHexString(byte[] b, int s, int e) {
    byte[] d = decodeHex(b, s, e);
    return string(d, 0, d.length);
  }

  /** ASCII-only bytes to a string (header parts, keys, numbers). */
  static String ascii(byte[] b, int s, int e) {
    return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
  }

  /**
   * Bytes to a string: valid UTF-8 as is; bytes that are not part of a valid UTF-8 sequence are
   * written as {@code %XX}, so non-UTF-8 file names stay distinguishable and printable.
   */
  public static String string(byte[] b, int s, int e) {
    boolean ascii = true;
    for (int i = s; i < e; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    }
    int bad = Utf8.firstInvalid(b, s, e);
    if (bad < 0) {
      return new String(b, s, e - s, StandardCharsets.UTF_8);
    }
    StringBuilder sb = new StringBuilder(e - s + 16);
    int i = s;
    while (i < e) {
      int n = Utf8.sequenceLength(b, i, e);
      if (n > 0) {
        sb.append(new String(b, i, n, StandardCharsets.UTF_8));
        i += n;
      } else {
        int v = b[i] & 0xff;
        sb.append('%').append(HEX_DIGITS[v >> 4]).append(HEX_DIGITS[v & 15]);
        i++;
      }
    }
    return sb.toString();
  }

  /** A printable rendering of a raw line for log messages (control bytes as \xNN, capped). */
  static String printable(byte[] b, int s, int e) {
    int cap = Math.min(e, s + 2000);
    StringBuilder sb = new StringBuilder(cap - s + 8);
    for (int i = s; i < cap; i++) {
      int c = b[i] & 0xff;
      if (c >= 0x20 && c < 0x7f) {
        sb.append((char) c);
      } else {
        sb.append("\\x").append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 15]);
      }
    }
    if (cap < e) {
      sb.append("...(").append(e - s).append(" bytes)");
    }
    return sb.toString();
  }
}
