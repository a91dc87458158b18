package io.ursprung.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.Rows;
import io.ursprung.events.MalformedEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleRecordTest {
  static byte[] json(String event, String inode, String time) {
    return ("{\"event\":\""
            + event
            + "\",\"path\":\"/gpfs/a\",\"clusterName\":\"c1\",\"nodeName\":\"n1\","
            + "\"fsName\":\"fs0\",\"inode\":\""
            + inode
            + "\",\"cookie\":\"5\",\"eventTime\":\""
            + time
            + "\",\"processId\":\"42\",\"fileSize\":\"10\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void eventNamesAreASetInAnyOrder() throws Exception {
    ScaleRecord a = ScaleRecord.parse(json("IN_CREATE IN_ISDIR", "1", "2020-05-29_23:28:02-0700"));
    ScaleRecord b = ScaleRecord.parse(json("IN_ISDIR  IN_CREATE", "1", "2020-05-29_23:28:02-0700"));
    assertEquals(a.events(), b.events());
    assertTrue(a.is("IN_ISDIR"));
  }

  @Test
  void inodesAre64BitAndTimesLenient() throws Exception {
    ScaleRecord r =
        ScaleRecord.parse(
            json("IN_CLOSE_WRITE", "18446744073709551615", "2020-05-29_23:28:02.5-0700"));
    assertEquals(-1L, r.inode()); // the same 64 bits, stored in a signed bigint
    assertEquals(Instant.parse("2020-05-30T06:28:02.500Z"), r.time());
    assertEquals(Instant.parse("2020-05-30T06:28:02Z"), ScaleRecord.time("2020-05-30T06:28:02Z"));
    assertEquals(Instant.parse("2020-05-30T06:28:02Z"), ScaleRecord.time("2020-05-30 06:28:02"));
    assertEquals(42, r.pid());
  }

  @Test
  void sameBytesSameIdAndBadInputIsMalformed() throws Exception {
    byte[] m = json("IN_OPEN", "7", "2020-05-29_23:28:02+0000");
    assertEquals(ScaleRecord.parse(m).id(), ScaleRecord.parse(m.clone()).id());
    assertThrows(
        MalformedEventException.class,
        () -> ScaleRecord.parse(json("IN_OPEN", "x", "2020-05-29_23:28:02")));
    assertThrows(
        MalformedEventException.class, () -> ScaleRecord.parse(json("IN_OPEN", "7", "yesterday")));
    assertThrows(
        MalformedEventException.class,
        () -> ScaleRecord.parse("[]".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void closeWriteIsAVersionAndMovesWaitForPairing() throws Exception {
    GraphBatch b = new GraphBatch();
    Map<String, Rows.Move> halves = new LinkedHashMap<>();
    ScaleMapper.map(
        ScaleRecord.parse(json("IN_CLOSE_WRITE", "7", "2020-05-29_23:28:02+0000")),
        "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "gpfs",
        0,
        1L,
        b,
        halves);
    ScaleMapper.map(
        ScaleRecord.parse(json("IN_MOVED_TO", "7", "2020-05-29_23:28:03+0000")),
        "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "gpfs",
        0,
        2L,
        b,
        halves);
    assertEquals(1, b.versionRows().size());
    assertEquals("write", b.versionRows().get(0).cause());
    assertEquals(Long.valueOf(10), b.versionRows().get(0).size());
    assertEquals(1, halves.size());
    assertEquals("to", halves.values().iterator().next().half());
  }

  /** The standard test message with one field set to {@code value}. */
  static byte[] with(String field, String value) throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode n = (ObjectNode) m.readTree(json("IN_OPEN", "7", "2020-05-29_23:28:02+0000"));
    n.put(field, value);
    return m.writeValueAsBytes(n);
  }

  static String rejection(byte[] message) {
    return assertThrows(MalformedEventException.class, () -> ScaleRecord.parse(message))
        .getMessage();
  }

  @Test
  void clusterAndNodeNamesMustBeHostNames() throws Exception {
    for (String field : List.of("clusterName", "nodeName")) {
      for (String bad : List.of("worker:01", "node 7", "-n", "x".repeat(254))) {
        String reason = rejection(with(field, bad));
        assertTrue(reason.startsWith(field + " '"), reason);
        assertTrue(reason.contains("is not a host name"), reason);
      }
      assertEquals(
          "gpfs.c1-a_b",
          field.equals("clusterName")
              ? ScaleRecord.parse(with(field, "gpfs.c1-a_b")).cluster()
              : ScaleRecord.parse(with(field, "gpfs.c1-a_b")).node());
    }
  }

  @Test
  void eventTimesOutsideTheStoresRangeAreMalformed() throws Exception {
    for (String bad :
        List.of(
            "1600-05-29_23:28:02+0000",
            "2300-01-01_00:00:00Z",
            "2262-04-11T00:00:00Z",
            "1677-09-22 00:00:00+0100")) {
      String reason = rejection(with("eventTime", bad));
      assertTrue(reason.contains("eventTime"), reason);
      assertTrue(reason.contains("outside the range the store can hold"), reason);
    }
    assertEquals(
        Instant.parse("2262-04-10T23:59:59Z"),
        ScaleRecord.parse(with("eventTime", "2262-04-10_23:59:59Z")).time());
    assertEquals(
        Instant.parse("1677-09-22T00:00:00Z"),
        ScaleRecord.parse(with("eventTime", "1677-09-22_00:00:00")).time());
  }

  @Test
  void processIdsOutsideTheIntRangeAreMalformedNotTruncated() throws Exception {
    for (String bad : List.of("4294967297", "2147483648", "-1", "-4294967295")) {
      String reason = rejection(with("processId", bad));
      assertTrue(reason.contains("processId " + bad + " is not a process id"), reason);
    }
    assertEquals(Integer.MAX_VALUE, ScaleRecord.parse(with("processId", "2147483647")).pid());
    assertEquals(4_194_304, ScaleRecord.parse(with("processId", "4194304")).pid());
    assertNull(ScaleRecord.parse(with("processId", "0")).pid());
    // The inode stays unsigned 64-bit.
    assertEquals(-1L, ScaleRecord.parse(with("inode", "18446744073709551615")).inode());
    rejection(with("inode", "18446744073709551616"));
  }
}
