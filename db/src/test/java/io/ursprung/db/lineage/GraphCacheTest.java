package io.ursprung.db.lineage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Viewer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** pgoutput messages as the server sends them in binary mode, and the graph's upkeep. */
class GraphCacheTest {
  private static final long PG_EPOCH_US = 946_684_800_000_000L;

  /** Builds a message the way the protocol lays it out (big-endian, C strings). */
  private static final class Msg {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final DataOutputStream out = new DataOutputStream(bytes);

    Msg b(int v) throws IOException {
      out.writeByte(v);
      return this;
    }

    Msg s(int v) throws IOException {
      out.writeShort(v);
      return this;
    }

    Msg i(int v) throws IOException {
      out.writeInt(v);
      return this;
    }

    Msg l(long v) throws IOException {
      out.writeLong(v);
      return this;
    }

    Msg c(String v) throws IOException {
      out.write(v.getBytes(StandardCharsets.UTF_8));
      out.writeByte(0);
      return this;
    }

    Msg value(byte[] v) throws IOException {
      out.writeByte('b');
      out.writeInt(v.length);
      out.write(v);
      return this;
    }

    Msg text(String v) throws IOException {
      return value(v.getBytes(StandardCharsets.UTF_8));
    }

    Msg int4(int v) throws IOException {
      return value(ByteBuffer.allocate(4).putInt(v).array());
    }

    Msg int8(long v) throws IOException {
      return value(ByteBuffer.allocate(8).putLong(v).array());
    }

    ByteBuffer buffer() {
      return ByteBuffer.wrap(bytes.toByteArray());
    }
  }

  private static GraphCache.Relation processes() throws IOException {
    Msg m = new Msg().i(16_400).c("public").c("processes").b('d').s(5);
    String[] names = {"host", "pid", "start_time", "uid", "argv"};
    int[] types = {25, 23, 1184, 23, 1009};
    for (int i = 0; i < names.length; i++) {
      m.b(i < 3 ? 1 : 0).c(names[i]).i(types[i]).i(-1);
    }
    GraphCache.Described d = GraphCache.relation(m.buffer());
    assertEquals(16_400, d.id());
    assertEquals("processes", d.relation().name());
    return d.relation();
  }

  private static byte[] textArray(String... items) throws IOException {
    Msg m = new Msg().i(1).i(1).i(25).i(items.length).i(1);
    for (String item : items) {
      if (item == null) {
        m.i(-1);
      } else {
        byte[] b = item.getBytes(StandardCharsets.UTF_8);
        m.i(b.length);
        m.out.write(b);
      }
    }
    return m.bytes.toByteArray();
  }

  @Test
  void insertsDecodeTextIntegersTimesAndArrays() throws IOException {
    GraphCache.Relation r = processes();
    long us = 1_763_630_043_512_345L;
    ByteBuffer b =
        new Msg()
            .i(16_400)
            .b('N')
            .s(5)
            .text("wörker")
            .int4(4711)
            .int8(us - PG_EPOCH_US)
            .b('n')
            .value(textArray("sort", null, "-k2"))
            .buffer();
    GraphCache.Change c = GraphCache.change('I', b, Map.of(16_400, r));
    assertEquals('I', c.op());
    assertEquals("wörker", r.get(c.row(), "host"));
    assertEquals(4711, r.get(c.row(), "pid"));
    // Microseconds since 1970, as node keys have them.
    assertEquals(us, r.get(c.row(), "start_time"));
    assertNull(r.get(c.row(), "uid"));
    assertArrayEquals(new String[] {"sort", null, "-k2"}, (String[]) r.get(c.row(), "argv"));
    assertEquals("sort -k2", MemoryGraph.joined((String[]) r.get(c.row(), "argv")));
    assertEquals(0, b.remaining());
  }

  @Test
  void infiniteTimesBecomeTheExtremeKeys() {
    assertEquals(
        Long.MAX_VALUE,
        GraphCache.binary(1184, ByteBuffer.allocate(8).putLong(Long.MAX_VALUE).array()));
    assertEquals(
        Long.MIN_VALUE,
        GraphCache.binary(1184, ByteBuffer.allocate(8).putLong(Long.MIN_VALUE).array()));
  }

  @Test
  void updatesSkipTheOldKeyAndMarkUnchangedValues() throws IOException {
    GraphCache.Relation r = processes();
    ByteBuffer b =
        new Msg()
            .i(16_400)
            .b('K')
            .s(5)
            .text("h")
            .int4(1)
            .int8(0)
            .b('n')
            .b('n')
            .b('N')
            .s(5)
            .text("h")
            .int4(1)
            .int8(0)
            .int4(1000)
            .b('u')
            .buffer();
    GraphCache.Change c = GraphCache.change('U', b, Map.of(16_400, r));
    assertEquals(1000, r.get(c.row(), "uid"));
    assertSame(GraphCache.UNCHANGED, r.get(c.row(), "argv"));
  }

  @Test
  void whatTheGraphCannotPlaceMakesItLoadAgain() throws IOException {
    GraphCache.Relation r = processes();
    // A change of a table the stream has not described.
    assertThrows(
        MemoryGraph.Reload.class,
        () -> GraphCache.change('I', new Msg().i(1).b('N').s(0).buffer(), Map.of(16_400, r)));
    // An insert without its new row.
    assertThrows(
        MemoryGraph.Reload.class,
        () -> GraphCache.change('I', new Msg().i(16_400).b('K').s(0).buffer(), Map.of(16_400, r)));
    // A column type the graph does not keep.
    assertThrows(MemoryGraph.Reload.class, () -> GraphCache.binary(700, new byte[4]));
    // A deleted edge: its key alone does not say where it is.
    GraphCache.Relation used = new GraphCache.Relation("used", Map.of("host", 0), new int[] {25});
    assertThrows(
        MemoryGraph.Reload.class,
        () ->
            GraphCache.apply(
                new MemoryGraph(), new GraphCache.Change('D', used, new Object[] {"h"})));
  }

  @Test
  void readsSeeTheVersionCurrentAtTheirTimeAsVersionsComeAndGo() {
    MemoryGraph g = new MemoryGraph();
    g.process("h", 1, 100, 1000, 100, "bob", "/", "/bin/cat", "cat f", null, null);
    g.version("h", "v1", "8:1", 7, 10, "write", "/f", 3L, null, null, null);
    g.use("h", "r1", "read", 1, 100L, 20, "h", "8:1", 7);
    g.use("h", "r2", "read", 1, 100L, 40, "h", "8:1", 7);
    g.loaded();
    Viewer admin = new Viewer(0, "admin", Role.ADMIN, Set.of(), Set.of());
    LevelWalk.Key p = new LevelWalk.Key("p", "h", "", 1, 100, LevelWalk.INFINITY);
    assertEquals(List.of(10L, 10L), seen(g.hops(true, List.of(p), List.of(0), false, admin)));
    // A version between the two reads, arriving later: the second read saw it.
    g.version("h", "v2", "8:1", 7, 30, "write", "/f", 5L, null, null, null);
    assertEquals(List.of(10L, 30L), seen(g.hops(true, List.of(p), List.of(0), false, admin)));
    // And when it goes (an update takes it away before its new row comes), the read sees v1.
    g.removeVersion("h", "v2", "8:1", 7);
    assertEquals(List.of(10L, 10L), seen(g.hops(true, List.of(p), List.of(0), false, admin)));
    // Attributes as the store's look-up gives them: number, path, size.
    assertEquals(
        new MemoryGraph.FileAttributes("/f", 1, 3L),
        g.fileAttributes(new LevelWalk.Key("f", "h", "8:1", 7, 10, 10)));
    assertNull(g.fileAttributes(new LevelWalk.Key("f", "h", "8:1", 7, 11, 11)));
  }

  @Test
  void aDeletedProcessRowKeepsItsKeyAndLosesWhatItSaid() {
    MemoryGraph g = new MemoryGraph();
    g.process("h", 1, 100, 1000, 100, "bob", "/", "/bin/cat", "cat f", 200L, 0);
    g.loaded();
    LevelWalk.Key k = new LevelWalk.Key("p", "h", "", 1, 100, 100);
    assertEquals(
        new MemoryGraph.ProcessAttributes("cat f", "/", "bob", 1000, 200L, 0, "/bin/cat"),
        g.processAttributes(k));
    g.processDeleted("h", 1, 100);
    assertEquals(
        new MemoryGraph.ProcessAttributes(null, null, null, null, null, null, null),
        g.processAttributes(k));
    assertNull(g.row("h", 1, 100));
  }

  private static List<Long> seen(List<LevelWalk.Hop> hops) {
    return hops.stream().map(h -> h.to().t()).sorted().toList();
  }
}
