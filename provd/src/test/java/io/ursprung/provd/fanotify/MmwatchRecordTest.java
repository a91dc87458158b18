package io.ursprung.provd.fanotify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** provd's file events must look exactly like Spectrum Scale's mmwatch records. */
class MmwatchRecordTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** mmwatch's fields, in its order (capture-formats.md §5.3). */
  private static final List<String> FIELDS =
      List.of(
          "WF_JSON",
          "wd",
          "cookie",
          "mask",
          "event",
          "path",
          "clusterName",
          "nodeName",
          "nfsClientIp",
          "fsName",
          "inode",
          "filesetID",
          "linkCount",
          "openFlags",
          "poolName",
          "fileSize",
          "ownerUserId",
          "ownerGroupId",
          "atime",
          "ctime",
          "mtime",
          "eventTime",
          "clientUserId",
          "clientGroupId",
          "processId",
          "permissions",
          "acls",
          "xattrs",
          "subEventType");

  @Test
  void everyScalarIsAStringInMmwatchOrder() {
    Instant t = Instant.parse("2026-11-20T09:14:03.512345Z");
    MmwatchRecord r =
        new MmwatchRecord(
            "IN_CLOSE_WRITE",
            0x8,
            0,
            "/data/proj/out.csv",
            "c1",
            "node17",
            "/data",
            5_000_000_000L,
            new MmwatchRecord.FileAttrs(0100644, 1, 4096, 1000, 100, t, t, t),
            t,
            1000,
            100,
            29279);
    JsonNode j = r.toJson(JSON);
    List<String> names = new ArrayList<>();
    j.fieldNames().forEachRemaining(names::add);
    assertEquals(FIELDS, names);
    for (String f : FIELDS) {
      if (f.equals("acls") || f.equals("xattrs")) {
        assertTrue(j.get(f).isNull(), f);
      } else {
        assertTrue(j.get(f).isTextual(), f + " must be a string: " + j.get(f));
      }
    }
    assertEquals("0x00000008", j.get("mask").asText());
    assertEquals("5000000000", j.get("inode").asText());
    assertEquals("29279", j.get("processId").asText());
    assertEquals("0", j.get("cookie").asText());
    assertEquals("100644", j.get("permissions").asText());
    assertEquals("2026-11-20_09:14:03.512345+0000", j.get("eventTime").asText());
    assertEquals("node17", j.get("nodeName").asText());
    assertEquals("", j.get("openFlags").asText(), "unknown values are empty, never invented");
  }

  @Test
  void unknownAttributesAndDirectoriesAndMoves() {
    MmwatchRecord r =
        new MmwatchRecord(
            "IN_MOVED_FROM IN_ISDIR",
            0x40000040L,
            17,
            "/data/old",
            "c1",
            "n1",
            "/data",
            -1,
            null,
            Instant.EPOCH,
            -1,
            -1,
            5);
    JsonNode j = r.toJson(JSON);
    assertEquals("0x40000040", j.get("mask").asText());
    assertEquals("17", j.get("cookie").asText());
    assertEquals("", j.get("inode").asText());
    assertEquals("", j.get("fileSize").asText());
    assertEquals("", j.get("clientUserId").asText());
    assertEquals("1970-01-01_00:00:00.000000+0000", j.get("eventTime").asText());
  }
}
