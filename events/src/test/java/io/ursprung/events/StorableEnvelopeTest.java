package io.ursprung.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hosts the REST API cannot name and times the store cannot hold are refused when an event is
 * decoded, by both decoders with the same reason, so the consumer dead-letters them instead of
 * storing them.
 */
class StorableEnvelopeTest {

  private static final EventCodec CODEC = new EventCodec();

  /** The golden file access (decoded by the fast path) and a process exit (databind only). */
  private static List<ObjectNode> seeds() throws Exception {
    Path dir = GoldenEventsTest.goldenFiles().get(0).getParent();
    return List.of(
        (ObjectNode)
            CODEC.mapper().readTree(Files.readAllBytes(dir.resolve("file-open-write.json"))),
        (ObjectNode) CODEC.mapper().readTree(Files.readAllBytes(dir.resolve("process-exit.json"))));
  }

  /** The reason both decoders give; fails when either accepts or they disagree. */
  private static String rejection(ObjectNode event) throws Exception {
    byte[] json = CODEC.mapper().writeValueAsBytes(event);
    MalformedEventException slow =
        assertThrows(MalformedEventException.class, () -> CODEC.fromBytesDatabind(json));
    MalformedEventException fast =
        assertThrows(MalformedEventException.class, () -> CODEC.fromBytes(json));
    assertEquals(slow.getMessage(), fast.getMessage());
    return fast.getMessage();
  }

  private static void accepted(ObjectNode event) throws Exception {
    byte[] json = CODEC.mapper().writeValueAsBytes(event);
    assertEquals(CODEC.fromBytesDatabind(json), CODEC.fromBytes(json));
  }

  @Test
  void hostsTheNodeIdsCannotCarryAreMalformed() throws Exception {
    for (ObjectNode seed : seeds()) {
      for (String bad :
          List.of(
              "worker:01", "node 7", "", "-lead", ".hidden", "wörker", "a/b", "x".repeat(254))) {
        ObjectNode e = seed.deepCopy();
        e.put("host", bad);
        String reason = rejection(e);
        assertTrue(reason.contains("is not a host name"), reason);
      }
      for (String good :
          List.of("worker01", "n1.cluster-a.example.org", "gpfs_c1", "x".repeat(253))) {
        ObjectNode e = seed.deepCopy();
        e.put("host", good);
        accepted(e);
      }
    }
  }

  @Test
  void eventTimesOutsideTheStoresRangeAreMalformed() throws Exception {
    for (ObjectNode seed : seeds()) {
      for (String bad :
          List.of(
              "2300-01-01T00:00:00Z",
              "1600-05-01T00:00:00Z",
              "2262-04-11T00:00:00Z",
              "1677-09-21T23:59:59.999Z",
              "+12026-11-20T09:14:03Z",
              "0000-01-01T00:00:00Z")) {
        ObjectNode e = seed.deepCopy();
        e.put("time", bad);
        String reason = rejection(e);
        assertTrue(reason.contains("outside the range the store can hold"), reason);
      }
      for (String good : List.of("1677-09-22T00:00:00Z", "2262-04-10T23:59:59.999999999Z")) {
        ObjectNode e = seed.deepCopy();
        e.put("time", good);
        accepted(e);
      }
    }
  }

  @Test
  void processStartTimesOutsideTheStoresRangeAreMalformed() throws Exception {
    for (ObjectNode seed : seeds()) {
      for (String bad : List.of("2300-01-01T00:00:00Z", "1600-05-01T00:00:00.512Z")) {
        ObjectNode e = seed.deepCopy();
        ((ObjectNode) e.get("data").get("process")).put("start", bad);
        String reason = rejection(e);
        assertTrue(reason.contains("start time " + Instant.parse(bad)), reason);
        assertTrue(reason.contains("outside the range the store can hold"), reason);
      }
      ObjectNode e = seed.deepCopy();
      ((ObjectNode) e.get("data").get("process")).put("start", "1677-09-22T00:00:00Z");
      accepted(e);
    }
  }

  @Test
  void hostNamesAreCheckedExactlyAsThePatternSays() {
    // The hand-written check against HOST_NAME itself: lengths around the limits, every ASCII
    // character and some beyond it, at the first position and later ones.
    java.util.Random r = new java.util.Random(11);
    String alphabet = "aZ09._-:/ \t\u00e9\u0130\u212a\u0000~";
    List<String> cases =
        new java.util.ArrayList<>(List.of("", "a", "a".repeat(253), "a".repeat(254)));
    for (char c = 0; c < 256; c++) {
      cases.add(String.valueOf(c));
      cases.add("w" + c);
      cases.add("w" + c + "1");
    }
    for (int i = 0; i < 50_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(8) == 0 ? 250 + r.nextInt(6) : r.nextInt(12);
      for (int j = 0; j < n; j++) {
        sb.append(alphabet.charAt(r.nextInt(r.nextBoolean() ? 7 : alphabet.length())));
      }
      cases.add(sb.toString());
    }
    int hosts = 0;
    for (String s : cases) {
      boolean want = ProvEvent.HOST_NAME.matcher(s).matches();
      assertEquals(want, ProvEvent.isHostName(s), "'" + s + "'");
      hosts += want ? 1 : 0;
    }
    assertTrue(hosts > 1000 && hosts < cases.size() - 1000, "both kinds tested: " + hosts);
  }

  @Test
  void theRulesAreStatedOnce() {
    assertNull(ProvEvent.hostProblem("host", "worker01"));
    assertTrue(ProvEvent.hostProblem("clusterName", "a:b").startsWith("clusterName 'a:b'"));
    assertNull(ProvEvent.timeProblem("time", ProvEvent.EARLIEST_TIME));
    assertNull(ProvEvent.timeProblem("time", ProvEvent.LATEST_TIME));
    // Inside the range, microseconds and nanoseconds since the epoch fit a long.
    for (Instant t : List.of(ProvEvent.EARLIEST_TIME, ProvEvent.LATEST_TIME)) {
      Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L);
      assertTrue(t.getEpochSecond() > Long.MIN_VALUE / 1_000_000_000L + 1);
      assertTrue(t.getEpochSecond() < Long.MAX_VALUE / 1_000_000_000L - 1);
    }
    assertTrue(
        ProvEvent.timeProblem("time", ProvEvent.LATEST_TIME.plusNanos(1))
            .contains("1677-09-22 to 2262-04-10"));
  }
}
