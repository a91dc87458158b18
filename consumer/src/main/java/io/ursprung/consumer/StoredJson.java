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
  private static final byte[] NUL_ESCAPE = {'u', '0', '0', '0', '0'};

  private StoredJson() {}

  /** Throws with the reason when the archive cannot keep {@code json}. */
  static void check(byte[] json) throws MalformedEventException {
    int bad = Utf8.firstInvalid(json, 0, json.length);
    if (bad >= 0) {
      throw new MalformedEventException("not valid UTF-8 (byte " + bad + ")");
    }
    if (hasEscapedNul(json)) {
      throw new MalformedEventException(
          "contains a NUL character (\\u0000), which cannot be stored");
    }
  }

  /**
   * Whether the JSON holds the escape {@code \u0000}: a search for its six ASCII bytes, which in
   * UTF-8 can only be those characters (every byte of a multi-byte character is 0x80 or above).
   */
  static boolean hasEscapedNul(byte[] json) {
    outer:
    for (int i = 0, n = json.length - 6; i <= n; i++) {
      if (json[i] != '\\') {
        continue;
      }
      for (int k = 0; k < 5; k++) {
        if (json[i + 1 + k] != NUL_ESCAPE[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
