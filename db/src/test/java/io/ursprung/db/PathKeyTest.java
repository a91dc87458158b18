package io.ursprung.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link PathKey}: short texts as they are, long ones bounded and still distinct. The MD5s below
 * were computed outside Java (md5sum and Python's hashlib); LongPathsIT and RuleActionsIT compare
 * with PostgreSQL's path_key.
 */
class PathKeyTest {
  static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void aKeyUpTo2048BytesIsItself() {
    String ascii = "logload:/" + "a".repeat(2048 - 9);
    assertEquals(2048, utf8(ascii));
    assertEquals(ascii, PathKey.of(ascii));
    // 1,024 two-byte letters: 2,048 bytes, still itself.
    String twoByte = "é".repeat(1024);
    assertEquals(twoByte, PathKey.of(twoByte));
    assertEquals("dbtransfer#0", PathKey.of("dbtransfer#0"));
  }

  @Test
  void aLongerKeyIsItsFirst256CharactersAndItsMd5() {
    String key = "logload:/" + "b".repeat(2040);
    assertEquals(2049, utf8(key));
    String k = PathKey.of(key);
    assertEquals(key.substring(0, 256) + " 12228e133304cb12872af97d7de6a6b8", k);
    assertEquals(256 + 1 + 32, k.length());

    // Differing only at the end: different keys.
    String other = key.substring(0, key.length() - 1) + "c";
    assertNotEquals(k, PathKey.of(other));
  }

  @Test
  void theFirst256AreCodePointsNeverHalfALetter() {
    // Four-byte letters (surrogate pairs in Java): 256 of them, whole.
    String key = "\uD83D\uDE00".repeat(600);
    String k = PathKey.of(key);
    assertEquals("\uD83D\uDE00".repeat(256) + " 3ef993a12b0b4137498dcbd2600fbd3d", k);
    assertTrue(utf8(k) <= 4 * 256 + 1 + 32);
    assertEquals("\uD83D\uDE00".repeat(256), PathKey.prefix(key));
    assertEquals("short", PathKey.prefix("short"));
  }
}
