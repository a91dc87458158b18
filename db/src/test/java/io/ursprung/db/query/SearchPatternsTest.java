package io.ursprung.db.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The LIKE patterns of a file search, on the path and on its key (V86). */
class SearchPatternsTest {
  @Test
  void aGlobIsLikeWithItsOwnWildcardsAndEverythingElseLiteral() {
    assertEquals("/data/%.csv", JdbcProvenanceQueries.globToLike("/data/*.csv"));
    assertEquals("/d/run\\_1/f_", JdbcProvenanceQueries.globToLike("/d/run_1/f?"));
    assertEquals("100\\%\\\\x", JdbcProvenanceQueries.globToLike("100%\\x"));
  }

  @Test
  void theKeyPatternIsTheLiteralStartUpToTheFirstWildcard() {
    assertEquals("/data/run\\_1%", JdbcProvenanceQueries.keyPrefix("/data/run_1", false));
    // A prefix search takes the whole text as literal: * is no wildcard in LIKE.
    assertEquals("/a*b%", JdbcProvenanceQueries.keyPrefix("/a*b", false));
    assertEquals("/data/%", JdbcProvenanceQueries.keyPrefix("/data/*.csv", true));
    assertEquals("/data/x%", JdbcProvenanceQueries.keyPrefix("/data/x?/*.csv", true));
    assertEquals("/exact%", JdbcProvenanceQueries.keyPrefix("/exact", true));
    assertNull(JdbcProvenanceQueries.keyPrefix("*.csv", true));
    assertNull(JdbcProvenanceQueries.keyPrefix("", false));
  }

  @Test
  void theKeyPatternStopsAt256Characters() {
    String longer = "é".repeat(300);
    assertEquals("é".repeat(256) + "%", JdbcProvenanceQueries.keyPrefix(longer, false));
    String emoji = "\uD83D\uDE00".repeat(257);
    assertEquals("\uD83D\uDE00".repeat(256) + "%", JdbcProvenanceQueries.keyPrefix(emoji, false));
  }
}
