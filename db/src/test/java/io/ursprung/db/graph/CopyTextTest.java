package io.ursprung.db.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CopyTextTest {

  @Test
  void instantsAreWrittenExactlyAsInstantToString() throws Exception {
    List<Instant> all = new ArrayList<>();
    all.add(Instant.EPOCH);
    all.add(Instant.parse("2026-11-23T15:21:10Z"));
    all.add(Instant.parse("2026-11-23T15:21:10.001Z"));
    all.add(Instant.parse("2026-11-23T15:21:10.000100Z"));
    all.add(Instant.parse("2026-11-23T15:21:10.000000007Z"));
    all.add(Instant.parse("1969-12-31T23:59:59.999Z"));
    all.add(Instant.parse("0000-01-01T00:00:00Z"));
    all.add(Instant.parse("9999-12-31T23:59:59.999999999Z"));
    all.add(Instant.parse("+10000-01-01T00:00:00Z"));
    all.add(Instant.parse("-0001-01-01T00:00:00Z"));
    Random r = new Random(4);
    for (int i = 0; i < 10_000; i++) {
      // Runs of equal seconds exercise the cached date-time part.
      long sec = r.nextLong(-2_000_000_000L, 4_000_000_000L);
      for (int j = 0; j < 3; j++) {
        int nano =
            switch (j) {
              case 0 -> r.nextInt(1000) * 1_000_000;
              case 1 -> r.nextInt(1_000_000) * 1000;
              default -> r.nextInt(1_000_000_000);
            };
        all.add(Instant.ofEpochSecond(sec, nano));
      }
    }
    CopyText t = new CopyText();
    StringBuilder expected = new StringBuilder();
    for (Instant i : all) {
      t.add(i).end();
      expected.append(i).append('\n');
    }
    assertEquals(expected.toString(), t.text());
  }

  @Test
  void valuesWithoutSpecialCharactersAreCopiedWhole() throws Exception {
    CopyText t = new CopyText();
    t.add("plain /path").add("tab\there").add("\\").add("x\0y").end();
    assertEquals("plain /path\ttab\\there\t\\\\\tx\uFFFDy\n", t.text());
  }

  @Test
  void escapesEverySpecialCharacterWhereverItIs() throws Exception {
    // Random values with the five special characters at any position (first, last, several),
    // Latin-1 and wider, against a char-by-char reference.
    java.util.Random r = new java.util.Random(7);
    char[] alphabet = {'a', '/', ' ', 'é', '€', '\\', '\n', '\r', '\t', '\0'};
    for (int k = 0; k < 20_000; k++) {
      StringBuilder v = new StringBuilder();
      for (int n = r.nextInt(12); n > 0; n--) {
        v.append(alphabet[r.nextInt(r.nextBoolean() ? 4 : alphabet.length)]);
      }
      StringBuilder expected = new StringBuilder();
      for (char c : v.toString().toCharArray()) {
        switch (c) {
          case '\\' -> expected.append("\\\\");
          case '\n' -> expected.append("\\n");
          case '\r' -> expected.append("\\r");
          case '\t' -> expected.append("\\t");
          case '\0' -> expected.append('\uFFFD');
          default -> expected.append(c);
        }
      }
      CopyText t = new CopyText();
      t.add(v.toString()).end();
      assertEquals(expected + "\n", t.text(), v.toString());
    }
  }
}
