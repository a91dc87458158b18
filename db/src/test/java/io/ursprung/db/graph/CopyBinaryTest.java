package io.ursprung.db.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binary COPY format, byte for byte, and times rounded as PostgreSQL rounds their text. */
class CopyBinaryTest {

  @Test
  void microsecondsSincePostgresEpochRoundHalfToEven() {
    assertEquals(0, CopyBinary.micros(Instant.parse("2000-01-01T00:00:00Z")));
    assertEquals(-1_000_000, CopyBinary.micros(Instant.parse("1999-12-31T23:59:59Z")));
    assertEquals(123_000, CopyBinary.micros(Instant.parse("2000-01-01T00:00:00.123Z")));
    assertEquals(123_456, CopyBinary.micros(Instant.parse("2000-01-01T00:00:00.123456Z")));
    // Below a microsecond: to the nearest, halves to even, as PostgreSQL reads the text form.
    assertEquals(123_456, CopyBinary.micros(Instant.parse("2000-01-01T00:00:00.123456499Z")));
    assertEquals(123_457, CopyBinary.micros(Instant.parse("2000-01-01T00:00:00.123456501Z")));
    assertEquals(123_456, CopyBinary.micros(Instant.parse("2000-01-01T00:00:00.123456500Z")));
    assertEquals(123_458, CopyBinary.micros(Instant.parse("2000-01-01T00:00:00.123457500Z")));
    // Before the epoch the seconds are negative and the fraction still counts forward.
    assertEquals(-999_500, CopyBinary.micros(Instant.parse("1999-12-31T23:59:59.0005Z")));
  }

  @Test
  void rowsAreLengthPrefixedValuesBetweenHeaderAndTrailer() throws Exception {
    CopyBinary c = new CopyBinary(null, 5);
    byte[] json = "{\"p\":\"/d/ü\"}".getBytes(StandardCharsets.UTF_8);
    c.row()
        .text("h1")
        .bytes(json)
        .int4(7)
        .int8(null)
        .timestamptz(Instant.ofEpochSecond(946_684_801));
    c.end();
    c.finish();

    ByteArrayOutputStream want = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(want);
    d.write("PGCOPY\n".getBytes(StandardCharsets.US_ASCII));
    d.write(new byte[] {(byte) 0xff, '\r', '\n', 0});
    d.writeInt(0);
    d.writeInt(0);
    d.writeShort(5);
    d.writeInt(2);
    d.write("h1".getBytes(StandardCharsets.UTF_8));
    d.writeInt(json.length);
    d.write(json);
    d.writeInt(4);
    d.writeInt(7);
    d.writeInt(-1);
    d.writeInt(8);
    d.writeLong(1_000_000);
    d.writeShort(-1);
    assertArrayEquals(want.toByteArray(), c.bytes());
    assertEquals(1, c.rows());
  }

  @Test
  void textArraysJsonbAndNulAreWrittenAsPostgresReadsThem() throws Exception {
    CopyBinary c = new CopyBinary(null, 4);
    c.row().text("a\0b").textArray(java.util.Arrays.asList("x", null)).textArray(List.of());
    c.jsonb("{\"k\":\"ü\"}").end();
    c.finish();

    ByteArrayOutputStream want = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(want);
    d.write("PGCOPY\n".getBytes(StandardCharsets.US_ASCII));
    d.write(new byte[] {(byte) 0xff, '\r', '\n', 0});
    d.writeInt(0);
    d.writeInt(0);
    d.writeShort(4);
    // NUL cannot be held by text: U+FFFD (3 bytes in UTF-8) stands in for it.
    d.writeInt(5);
    d.write("a\uFFFDb".getBytes(StandardCharsets.UTF_8));
    // One dimension, has nulls, element type text (25), 2 elements from index 1, then each.
    d.writeInt(4 * 5 + (4 + 1) + 4);
    d.writeInt(1);
    d.writeInt(1);
    d.writeInt(25);
    d.writeInt(2);
    d.writeInt(1);
    d.writeInt(1);
    d.write('x');
    d.writeInt(-1);
    // The empty array: no dimensions.
    d.writeInt(12);
    d.writeInt(0);
    d.writeInt(0);
    d.writeInt(25);
    // jsonb: version 1, then the text.
    byte[] json = "{\"k\":\"ü\"}".getBytes(StandardCharsets.UTF_8);
    d.writeInt(json.length + 1);
    d.write(1);
    d.write(json);
    d.writeShort(-1);
    assertArrayEquals(want.toByteArray(), c.bytes());
  }

  @Test
  void textIsEncodedAsStringGetBytesEncodesIt() throws Exception {
    // The hand-written encoder against the JDK's: every kind of UTF-16 unit (ASCII, two and three
    // bytes, pairs, lone and reversed surrogates, NUL) at every position, kept and streamed sizes.
    char[] units = {
      'a', '/', '\0', '\u007f', '\u0080', '\u00e9', '\u07ff', '\u0800', '\u20ac', '\uffff',
      '\ufffd', '\ud83d', '\ude00', '\ud800', '\udfff'
    };
    java.util.Random r = new java.util.Random(3);
    int wide = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(10) == 0 ? 3000 + r.nextInt(5000) : r.nextInt(40);
      for (int j = 0; j < n; j++) {
        sb.append(
            r.nextInt(3) == 0 ? units[r.nextInt(units.length)] : (char) ('a' + r.nextInt(26)));
      }
      String s = sb.toString();
      CopyBinary c = new CopyBinary(1, r.nextBoolean() ? 64 : 1 << 16);
      c.row().text(s).end();
      byte[] want = s.replace('\0', '\uFFFD').getBytes(StandardCharsets.UTF_8);
      byte[] got = c.bytes();
      int at = 19 + 2; // header, then the field count
      int size =
          ((got[at] & 0xff) << 24)
              | ((got[at + 1] & 0xff) << 16)
              | ((got[at + 2] & 0xff) << 8)
              | (got[at + 3] & 0xff);
      assertEquals(want.length, size, s);
      assertArrayEquals(want, java.util.Arrays.copyOfRange(got, at + 4, at + 4 + size), s);
      assertEquals(at + 4 + size, got.length, s);
      wide += s.chars().anyMatch(ch -> ch >= 0x80) ? 1 : 0;
    }
    assertEquals(true, wide > 5000, "non-ASCII strings tested: " + wide);
  }
}
