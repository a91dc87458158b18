package io.ursprung.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ursprung.db.graph.GraphBatch;
import io.ursprung.events.FileAccess;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditdMapperTest {
  static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
  static final ProcessRef P = new ProcessRef(9, T);

  static ProvEvent ev(int n, FileAccess f) {
    return ProvEvent.of("h:" + n, new Producer("t", "1"), "h", T.plusMillis(n), f);
  }

  static FileAccess access(
      FileAccess.Op op,
      String path,
      Long inode,
      String target,
      Long targetInode,
      Boolean read,
      Boolean write,
      Boolean create) {
    return new FileAccess(
        P,
        op,
        path,
        inode,
        "fe:01",
        null,
        null,
        read,
        write,
        create,
        null,
        target,
        targetInode,
        "file");
  }

  @Test
  void openCreateAndWriteCloseMakeVersionsReadMakesUsed() {
    GraphBatch b = new GraphBatch();
    AuditdMapper.map(
        ev(1, access(FileAccess.Op.OPEN, "/w/in", 1L, null, null, true, false, false)),
        "{}",
        "t",
        0,
        1L,
        b);
    AuditdMapper.map(
        ev(2, access(FileAccess.Op.OPEN, "/w/out", 2L, null, null, false, true, true)),
        "{}",
        "t",
        0,
        2L,
        b);
    AuditdMapper.map(
        ev(3, access(FileAccess.Op.CLOSE, "/w/out", 2L, null, null, null, true, null)),
        "{}",
        "t",
        0,
        3L,
        b);
    assertEquals(1, b.usedRows().size());
    assertEquals("read", b.usedRows().get(0).kind());
    assertEquals(
        "create,write", String.join(",", b.versionRows().stream().map(v -> v.cause()).toList()));
    assertEquals(1, b.processRows().size());
  }

  @Test
  void renameKeepsTheInodeAndSymlinkTextIsResolved() {
    GraphBatch b = new GraphBatch();
    AuditdMapper.map(
        ev(1, access(FileAccess.Op.RENAME, "/w/a.part", 5L, "/w/a", null, null, null, null)),
        "{}",
        "t",
        0,
        1L,
        b);
    AuditdMapper.map(
        ev(2, access(FileAccess.Op.SYMLINK, "out/a", null, "/w/latest", 6L, null, null, null)),
        "{}",
        "t",
        0,
        2L,
        b);
    assertEquals(5L, b.versionRows().get(0).file().inode());
    assertEquals("/w/a", b.versionRows().get(0).path());
    assertEquals("/w/out/a", b.derivedRows().get(1).srcPath());
    assertEquals(6L, b.derivedRows().get(1).file().inode());
    assertEquals("/w/x", AuditdMapper.resolveAgainst("/w/sub/link", "../x"));
  }
}
