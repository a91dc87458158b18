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

  /** Whether any string of a JSON document holds NUL, as a JSON parser reads it. */
  static boolean holdsNul(String json) throws Exception {
    try (com.fasterxml.jackson.core.JsonParser p =
        new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
      for (var t = p.nextToken(); t != null; t = p.nextToken()) {
        if ((t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING
                || t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME)
            && p.getText().indexOf('\0') >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void anEscapedNulIsFoundInTheBytesAsAParserFindsIt() throws Exception {
    List<String> cases =
        new ArrayList<>(
            List.of(
                "{}",
                "{\"p\":\"a\\u0000\"}",
                "{\"p\":\"\\u0000\"}",
                "{\"p\":\"\\u00001\"}",
                "{\"p\":\"ü\\u0000\"}",
                "{\"p\":\"\\u0001\"}",
                "{\"p\":\"\\\\u0000\"}", // a backslash, then the text u0000
                "{\"p\":\"\\\\\\u0000\"}", // a backslash, then NUL
                "{\"\\u0000\":1}",
                "{\"p\":\"\\\\\"}"));
    // Random strings of backslashes, u, 0 and a few others, written as JSON by Jackson.
    java.util.Random r = new java.util.Random(9);
    String alphabet = "\\u0\u0000a\"ü";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = r.nextInt(12); k > 0; k--) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      cases.add(
          new com.fasterxml.jackson.databind.ObjectMapper()
              .writeValueAsString(java.util.Map.of("p", sb.toString())));
    }
    int nuls = 0;
    for (String json : cases) {
      boolean want = holdsNul(json);
      byte[] b = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String reason = null;
      try {
        StoredJson.check(b);
      } catch (io.ursprung.events.MalformedEventException e) {
        reason = e.getMessage();
      }
      assertEquals(want, reason != null && reason.contains("NUL"), json + ": " + reason);
      nuls += want ? 1 : 0;
    }
    assertEquals(true, nuls > 1000 && nuls < cases.size() - 1000, "both kinds: " + nuls);
  }

  @Test
  void invalidUtf8IsReportedBeforeANul() {
    byte[] b = {'"', '\\', 'u', '0', '0', '0', '0', (byte) 0xff, '"'};
    io.ursprung.events.MalformedEventException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.ursprung.events.MalformedEventException.class, () -> StoredJson.check(b));
    assertEquals("not valid UTF-8 (byte 7)", e.getMessage());
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
