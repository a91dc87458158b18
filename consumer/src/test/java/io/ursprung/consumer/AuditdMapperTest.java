package io.ursprung.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ursprung.db.graph.GraphBatch;
import io.ursprung.events.FileAccess;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void anEscapedNulIsFoundInTheBytesAsInTheText() {
    for (String json :
        new String[] {
          "{}",
          "{\"p\":\"a\\u0000\"}",
          "\\u0000",
          "{\"p\":\"\\u000\"}",
          "{\"p\":\"\\u00001\"}",
          "{\"p\":\"ü\\u0000\"}",
          "{\"p\":\"\\u0001\"}",
          "\\u000",
          ""
        }) {
      assertEquals(
          json.contains("\\u0000"),
          AuditdMapper.hasEscapedNul(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          json);
    }
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
      assertEquals(valid, AuditdMapper.firstInvalidUtf8(b) < 0, java.util.Arrays.toString(b));
    }
    assertEquals(1, AuditdMapper.firstInvalidUtf8(new byte[] {'a', (byte) 0xed, (byte) 0xa0, 0}));
  }
}
