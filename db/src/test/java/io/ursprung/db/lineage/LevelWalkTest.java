package io.ursprung.db.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LevelWalkTest {

  @Test
  void textComparesByCodePointAsTheDatabaseSortsUnderCUtf8() {
    // UTF-16 puts a supplementary character (a surrogate pair, 0xD83D...) before U+FFFD; by code
    // point (and in UTF-8 bytes) it comes after.
    String emoji = new String(Character.toChars(0x1F600));
    assertTrue("\uFFFD".compareTo(emoji) > 0);
    assertTrue(LevelWalk.byCodePoint("\uFFFD", emoji) < 0);
    assertTrue(LevelWalk.byCodePoint("node1", "node10") < 0);
    assertTrue(LevelWalk.byCodePoint("node2", "node10") > 0);
    assertEquals(0, LevelWalk.byCodePoint("a" + emoji, "a" + emoji));
  }

  @Test
  void newNodesAreTakenByKindHostIdTimeFsBound() {
    LevelWalk.Key beforeCapture =
        new LevelWalk.Key("f", "h", "8:1", 7, LevelWalk.MINUS_INFINITY, LevelWalk.MINUS_INFINITY);
    LevelWalk.Key version = new LevelWalk.Key("f", "h", "8:1", 7, 5, 5);
    LevelWalk.Key otherFs = new LevelWalk.Key("f", "h", "8:0", 7, 6, 6);
    LevelWalk.Key lowerInode = new LevelWalk.Key("f", "h", "9:9", 3, 9, 9);
    LevelWalk.Key bounded = new LevelWalk.Key("p", "h", "", 7, 5, 10);
    LevelWalk.Key unbounded = new LevelWalk.Key("p", "h", "", 7, 5, LevelWalk.INFINITY);
    LevelWalk.Key otherHost = new LevelWalk.Key("f", "g", "8:1", 99, 1, 1);
    List<LevelWalk.Key> keys =
        new ArrayList<>(
            List.of(unbounded, version, bounded, otherFs, beforeCapture, lowerInode, otherHost));
    keys.sort(LevelWalk.ORDER);
    assertEquals(
        List.of(otherHost, lowerInode, beforeCapture, version, otherFs, bounded, unbounded), keys);
  }

  @Test
  void infiniteTimesShowAsNoTimeInNodeIds() {
    assertNull(LevelWalk.micros(LevelWalk.MINUS_INFINITY));
    assertNull(LevelWalk.micros(LevelWalk.INFINITY));
    assertEquals(
        "f:h:7:-:8:1",
        new LevelWalk.Key("f", "h", "8:1", 7, LevelWalk.MINUS_INFINITY, LevelWalk.MINUS_INFINITY)
            .text());
    assertEquals(
        "p:h:42:1700000000000001",
        new LevelWalk.Key("p", "h", "", 42, 1700000000000001L, 9).text());
    // A process reached with two bounds is one node.
    assertEquals(
        new LevelWalk.Key("p", "h", "", 42, 1, 1).node(),
        new LevelWalk.Key("p", "h", "", 42, 1, LevelWalk.INFINITY).node());
  }
}
