package io.ursprung.consumer.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Outputs#stateKey}: short keys as they are, long ones bounded and still distinct. */
class StateKeyTest {
  static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void aKeyUpTo2048BytesIsItself() {
    String ascii = "logload:/" + "a".repeat(2048 - 9);
    assertEquals(2048, utf8(ascii));
    assertEquals(ascii, Outputs.stateKey(ascii));
    // 1,024 two-byte letters: 2,048 bytes, still itself.
    String twoByte = "é".repeat(1024);
    assertEquals(twoByte, Outputs.stateKey(twoByte));
    assertEquals("dbtransfer#0", Outputs.stateKey("dbtransfer#0"));
  }

  @Test
  void aLongerKeyIsItsFirst256CharactersAndItsMd5() {
    String key = "logload:/" + "b".repeat(2040);
    assertEquals(2049, utf8(key));
    String k = Outputs.stateKey(key);
    assertEquals(key.substring(0, 256) + " " + md5Hex(key), k);
    assertEquals(256 + 1 + 32, k.length());

    // Differing only at the end: different keys.
    String other = key.substring(0, key.length() - 1) + "c";
    assertNotEquals(k, Outputs.stateKey(other));
  }

  @Test
  void theFirst256AreCodePointsNeverHalfALetter() {
    // Four-byte letters (surrogate pairs in Java): 256 of them, whole.
    String key = "\uD83D\uDE00".repeat(600);
    String k = Outputs.stateKey(key);
    assertEquals("\uD83D\uDE00".repeat(256) + " " + md5Hex(key), k);
    assertTrue(utf8(k) <= 4 * 256 + 1 + 32);
  }

  static String md5Hex(String s) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
