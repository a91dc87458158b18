package io.ursprung.db.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeIdTest {

  @Test
  void timesOutsideTheNanosecondRangeMakeIdsThatReadBack() {
    for (String t :
        new String[] {
          "2300-01-01T00:00:00.123456Z",
          "1600-06-30T12:00:00.000001Z",
          "0001-01-01T00:00:00Z",
          "9999-12-31T23:59:59.999999Z",
          "1969-12-31T23:59:59.500000Z"
        }) {
      Instant start = Instant.parse(t);
      NodeId.Process p = new NodeId.Process("worker01", 42, start);
      assertEquals(p, NodeId.parse(p.text()), t);
      NodeId.FileVersion f = new NodeId.FileVersion("worker01", "fd00", -5L, start);
      assertEquals(f, NodeId.parse(f.text()), t);
    }
  }

  @Test
  void microsecondsAreCountedFromTheEpochOnBothSides() {
    assertEquals(-500_000, NodeId.micros(Instant.parse("1969-12-31T23:59:59.500Z")));
    assertEquals(1_000_001, NodeId.micros(Instant.parse("1970-01-01T00:00:01.000001Z")));
    assertEquals(10_413_792_000_000_000L, NodeId.micros(Instant.parse("2300-01-01T00:00:00Z")));
  }
}
