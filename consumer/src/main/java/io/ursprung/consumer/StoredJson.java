package io.ursprung.consumer;

import io.ursprung.events.MalformedEventException;
import io.ursprung.events.Utf8;

/**
 * What a message's JSON must be for the archive, which keeps the bytes as received (binary COPY):
 * well-formed UTF-8, and without the escape {@code \u0000}. PostgreSQL refuses both in a text
 * column (and NUL in jsonb), and a refused value fails its whole batch; checked here, the message
 * is dead-lettered at once with the reason. The same for every source that archives.
 */
final class StoredJson {
  private StoredJson() {}

  /** Throws with the reason when the archive cannot keep {@code json}. */
  static void check(byte[] json) throws MalformedEventException {
    // One pass for both (every message comes here). Invalid UTF-8 is reported before a NUL, as
    // when they were two scans.
    boolean nul = false;
    int n = json.length;
    int i = 0;
    while (i < n) {
      byte c = json[i];
      if (c >= 0) {
        if (c == '\\' && i + 1 < n && json[i + 1] >= 0) {
          nul |= isNulEscape(json, i);
          i += 2; // the escaped character: an escaped backslash does not start an escape
        } else {
          i++;
        }
      } else {
        int k = Utf8.sequenceLength(json, i, n);
        if (k <= 0) {
          throw new MalformedEventException("not valid UTF-8 (byte " + i + ")");
        }
        i += k;
      }
    }
    if (nul) {
      throw new MalformedEventException(
          "contains a NUL character (\\u0000), which cannot be stored");
    }
  }

  /**
   * Whether the escape whose backslash is at {@code i} writes NUL: a backslash, 'u', then four
   * zeros (a JSON text cannot hold the character itself). An escaped backslash followed by the text
   * "u0000" is not one; {@link #check} steps over each escape whole to tell the two apart.
   */
  private static boolean isNulEscape(byte[] b, int i) {
    return i + 5 < b.length
        && b[i + 1] == 'u'
        && b[i + 2] == '0'
        && b[i + 3] == '0'
        && b[i + 4] == '0'
        && b[i + 5] == '0';
  }
}
