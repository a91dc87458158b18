package io.ursprung.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ursprung.events.Utf8;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks of what the archive can keep, against the String and the JDK's strict decoder. */
class StoredJsonTest {
  static int firstInvalid(byte[] b) {
    return Utf8.firstInvalid(b, 0, b.length);
  }

  @Test
  void anEscapedNulIsFoundInTheBytesAsInTheText() {
    for (String json :
        new String[] {
          "{}",
          "{\"p\":\"a\\u0000\"}",
          "\\u0000",
          "{\"p\":\"\\u000\"}",
          "{\"p\":\"\\u00001\"}",
          "{\"p\":\"ü\\u0000\"}",
          "{\"p\":\"\\u0001\"}",
          "\\u000",
          ""
        }) {
      assertEquals(
          json.contains("\\u0000"),
          StoredJson.hasEscapedNul(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          json);
    }
  }

  @Test
  void utf8IsCheckedAsJavaDecodesItStrictly() throws Exception {
    java.util.Random random = new java.util.Random(3);
    java.nio.charset.CharsetDecoder strict =
        java.nio.charset.StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    List<byte[]> cases = new ArrayList<>();
    cases.add("{\"p\":\"/d/Ünïcødé ✓ 😀\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    cases.add(new byte[] {'a', (byte) 0xed, (byte) 0xa0, (byte) 0x80}); // a surrogate
    cases.add(new byte[] {(byte) 0xc0, (byte) 0xaf}); // overlong '/'
    cases.add(new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}); // overlong
    cases.add(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}); // > U+10FFFF
    cases.add(new byte[] {'x', (byte) 0xe2, (byte) 0x9c}); // cut short
    cases.add(new byte[] {(byte) 0xff});
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[1 + random.nextInt(8)];
      random.nextBytes(b);
      cases.add(b);
    }
    for (byte[] b : cases) {
      boolean valid;
      try {
        strict.decode(java.nio.ByteBuffer.wrap(b));
        valid = true;
      } catch (java.nio.charset.CharacterCodingException e) {
        valid = false;
      }
      assertEquals(valid, Utf8.firstInvalid(b, 0, b.length) < 0, java.util.Arrays.toString(b));
    }
    assertEquals(1, firstInvalid(new byte[] {'a', (byte) 0xed, (byte) 0xa0, 0}));
  }
}
