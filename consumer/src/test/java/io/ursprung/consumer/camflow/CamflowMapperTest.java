package io.ursprung.consumer.camflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.db.camflow.CamflowStore;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.Rows;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CamflowMapperTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-01-05T12:00:00Z");

  /** Process identities as the store keeps them: the first sight wins. */
  static final class FakeContext implements CamflowStore.Context {
    final Map<String, CamflowStore.ProcessId> ids = new HashMap<>();

    @Override
    public CamflowStore.ProcessId process(String boot, String object, int pid, Instant start) {
      return ids.computeIfAbsent(boot + "/" + object, k -> new CamflowStore.ProcessId(pid, start));
    }

    @Override
    public Optional<String> path(Rows.FileKey file) {
      return Optional.empty();
    }
  }

  static CamflowStore.Vertex v(String id, String section, String json) throws Exception {
    return new CamflowStore.Vertex(id, section, (ObjectNode) JSON.readTree(json));
  }

  static CamflowStore.Relation r(String id, String section, String from, String to, String type)
      throws Exception {
    ObjectNode a = JSON.createObjectNode();
    a.put("prov:type", type);
    a.put("cf:date", "2026:01:05T10:00:02");
    return new CamflowStore.Relation(id, section, a, List.of(from, to));
  }

  @Test
  void mapsTasksFilesAndTheFourRelationKindsToGraphRows() throws Exception {
    var parent =
        v(
            "T1",
            "activity",
            "{\"prov:type\":\"task\",\"cf:id\":\"1\",\"cf:boot_id\":\"b\",\"cf:pid\":100,\"cf:date\":\"2026:01:05T10:00:00\"}");
    var child0 =
        v(
            "T2v0",
            "activity",
            "{\"prov:type\":\"task\",\"cf:id\":\"2\",\"cf:boot_id\":\"b\",\"cf:pid\":200,\"cf:uid\":1001,\"cf:date\":\"2026:01:05T10:00:00\"}");
    var child1 =
        v(
            "T2v1",
            "activity",
            "{\"prov:type\":\"task\",\"cf:id\":\"2\",\"cf:boot_id\":\"b\",\"cf:pid\":200,\"cf:date\":\"2026:01:05T10:00:01\"}");
    var in =
        v(
            "F1",
            "entity",
            "{\"prov:type\":\"file\",\"cf:id\":\"9\",\"cf:ino\":5001,\"cf:uuid\":\"u\",\"cf:pathname\":\"/in\"}");
    var out =
        v(
            "F2",
            "entity",
            "{\"prov:type\":\"file\",\"cf:id\":\"10\",\"cf:ino\":5002,\"cf:uuid\":\"u\"}");
    var out2 =
        v(
            "F2v2",
            "entity",
            "{\"prov:type\":\"file\",\"cf:id\":\"10\",\"cf:ino\":5002,\"cf:uuid\":\"u\"}");
    var name = v("P2", "entity", "{\"prov:type\":\"path\",\"cf:pathname\":\"/out\"}");
    Map<String, CamflowStore.Vertex> known = new HashMap<>();
    for (var x : List.of(parent, child0, child1, in, out, out2, name)) {
      known.put(x.id(), x);
    }
    GraphBatch b = new GraphBatch();
    new CamflowMapper(NOW)
        .map(
            "cfhost",
            List.copyOf(known.values()),
            List.of(
                r("clone", "wasInformedBy", "T1", "T2v0", "clone"),
                r("ver", "wasInformedBy", "T2v0", "T2v1", "version_activity"),
                r("read", "used", "F1", "T2v1", "read"),
                r("write", "wasGeneratedBy", "T2v1", "F2", "write"),
                r("named", "wasDerivedFrom", "P2", "F2", "named"),
                r("fver", "wasDerivedFrom", "F2", "F2v2", "version_entity")),
            known,
            new FakeContext(),
            b);
    Instant childStart = Instant.parse("2026-01-05T10:00:00Z");
    assertEquals(2, b.processRows().size(), "the versions of a task are one process");
    assertEquals(1, b.informedRows().size(), "a version of the same task is no edge");
    Rows.Informed fork = b.informedRows().get(0);
    assertEquals("fork", fork.kind());
    assertEquals(200, fork.pid());
    assertEquals(100, fork.informantPid());
    Rows.Used read = b.usedRows().get(0);
    assertEquals("read", read.kind());
    assertEquals(new Rows.FileKey("cfhost", "camflow:u", 5001), read.file());
    assertEquals("/in", read.path());
    assertEquals(childStart, read.start());
    Rows.Version w = b.versionRows().get(0);
    assertEquals("/out", w.path(), "names are mapped before the writes of the same packet");
    assertEquals(200, w.pid());
    assertEquals("write", w.cause());
    assertEquals("camflow", w.source());
    assertEquals(Instant.parse("2026-01-05T10:00:02Z"), w.time());
    assertTrue(b.derivedRows().isEmpty(), "a new version of one inode is no derivation");
    assertEquals("/out", b.nameRows().get(0).path());
  }

  @Test
  void parsesCamflowAndIsoDates() {
    assertEquals(
        Instant.parse("2017-02-24T10:51:27Z"), CamflowMapper.parseDate("2017:02:24T10:51:27"));
    assertEquals(
        Instant.parse("2017-02-24T10:51:27Z"), CamflowMapper.parseDate("2017-02-24T10:51:27Z"));
    assertEquals(null, CamflowMapper.parseDate("yesterday"));
  }

  @Test
  void announcementsAsTextOrJson() {
    assertEquals("4242", CamflowConsumer.announcement("4242\n".getBytes())[0]);
    String[] a =
        CamflowConsumer.announcement("{\"machine_id\":7,\"hostname\":\"node-1\"}".getBytes());
    assertEquals("7", a[0]);
    assertEquals("node-1", a[1]);
    assertEquals(null, CamflowConsumer.announcement("{\"x\":1}".getBytes()));
  }
}
