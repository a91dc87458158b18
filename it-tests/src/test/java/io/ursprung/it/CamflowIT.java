package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.backend.Backend;
import io.ursprung.cli.UrsprungCommand;
import io.ursprung.consumer.camflow.CamflowConsumer;
import io.ursprung.consumer.camflow.CamflowSettings;
import io.ursprung.db.Database;
import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Viewer;
import io.ursprung.db.camflow.CamflowStore;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.lineage.Direction;
import io.ursprung.db.lineage.JdbcLineageService;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.prov.ProvDocuments;
import io.ursprung.db.prov.ProvExport;
import io.ursprung.db.prov.ProvStore;
import io.ursprung.db.status.IngestStatus;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.Deflater;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CamFlow source end to end over the machine's Mosquitto: packets made like camflowd's (Base64
 * of zlib-compressed PROV-JSON), partial documents whose relations come before their vertices, a
 * duplicate, corrupt packets, a consumer restart with packets sent while it was down; then lineage
 * through the REST API, and PROV-JSON export → import → export. Along the way, the consumer's
 * status row (packets, dead letters, no lag) and its series on GET /api/v1/metrics.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CamflowIT {
  static final String BROKER_HOST = "127.0.0.1";
  static final int BROKER_PORT = 1883;
  static final String ADMIN_TOKEN = "it-admin-token-camflow-0123456789";
  static final String HOST = "cfhost";

  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  final String run = UUID.randomUUID().toString().substring(0, 8);
  final String machinesTopic = "it-" + run + "/camflow/machines";
  final String prefix = "it-" + run + "/camflow/provenance/";
  TestDatabase db;
  CamflowStore store;
  MqttClient publisher;
  Thread consumerThread;
  CamflowConsumer consumer;

  /** The status instance ids of the consumers started, in order. */
  final List<String> instances = new ArrayList<>();

  @BeforeAll
  void start(TestDatabase db) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(BROKER_HOST, BROKER_PORT), 2000);
    } catch (java.io.IOException e) {
      fail(
          "No MQTT broker at "
              + BROKER_HOST
              + ":"
              + BROKER_PORT
              + " ("
              + e.getMessage()
              + "). Start the machine's Mosquitto: mosquitto -d -c /etc/mosquitto/mosquitto.conf");
    }
    this.db = db;
    store =
        new CamflowStore(db.dataSource(), new GraphStore(db.dataSource(), Duration.ofSeconds(1)));
    publisher =
        new MqttClient(
            "tcp://" + BROKER_HOST + ":" + BROKER_PORT, "it-pub-" + run, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    publisher.connect(o);
    startConsumer();
  }

  @AfterAll
  void stop() throws Exception {
    stopConsumer();
    if (publisher != null && publisher.isConnected()) {
      publisher.disconnect();
      publisher.close();
    }
    // The export/import test's second store is a database of its own: the test database's
    // extension drops only the class's database, so this one would be left on the server.
    try (Connection c = DriverManager.getConnection(adminUrl(), db.user(), db.password());
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + copyName() + " WITH (FORCE)");
    }
  }

  void startConsumer() throws Exception {
    Map<String, String> s = new HashMap<>();
    s.put(CamflowSettings.HOST, BROKER_HOST);
    s.put(CamflowSettings.PORT, Integer.toString(BROKER_PORT));
    s.put(CamflowSettings.CLIENT_ID, "it-camflow-" + run);
    s.put(CamflowSettings.MACHINES_TOPIC, machinesTopic);
    s.put(CamflowSettings.PROVENANCE_PREFIX, prefix);
    s.put(CamflowSettings.STATUS_INTERVAL, "200");
    s.put(CamflowSettings.JDBC_URL, db.jdbcUrl());
    s.put(CamflowSettings.JDBC_USER, db.user());
    if (db.password() != null) {
      s.put(CamflowSettings.JDBC_PASSWORD, db.password());
    }
    CamflowSettings settings =
        CamflowSettings.from(CamflowSettings.DEFINITION.parse(Map.of(), Map.of(), s));
    consumer = new CamflowConsumer(settings, store, new IngestStatus(db.dataSource()));
    instances.add(consumer.statusInstanceId());
    consumerThread =
        new Thread(
            () -> {
              try {
                consumer.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "camflow-it");
    consumerThread.start();
    await("the consumer connected", Duration.ofSeconds(30), consumer::connected);
  }

  void stopConsumer() throws Exception {
    if (consumer != null) {
      consumer.stop();
      consumerThread.join(20_000);
      assertTrue(consumer.statusWrites() > 0);
      assertEquals(0, consumer.statusFailures());
      consumer = null;
    }
  }

  // ---- CamFlow-shaped packets -------------------------------------------------------------

  static final String BOOT = "1";

  /** An id like CamFlow's: Base64 of a binary identifier (here: type, object id, version). */
  static String id(String type, int object, int version) {
    return Base64.getEncoder()
        .encodeToString(
            (type + ":" + object + ":" + version + ":" + BOOT).getBytes(StandardCharsets.UTF_8));
  }

  ObjectNode doc() {
    ObjectNode d = json.createObjectNode();
    d.putObject("prefix")
        .put("cf", "http://www.camflow.org")
        .put("prov", "http://www.w3.org/ns/prov#");
    return d;
  }

  ObjectNode vertex(
      ObjectNode d, String section, String id, String type, int object, int version, String date) {
    ObjectNode v = d.with(section).putObject(id);
    v.put("prov:type", type);
    v.put("prov:label", "[" + type + "] " + version);
    v.put("cf:id", Integer.toString(object));
    v.put("cf:boot_id", BOOT);
    v.put("cf:machine_id", "4242");
    v.put("cf:version", version);
    v.put("cf:date", date);
    v.put("cf:jiffies", "4295" + object + version);
    return v;
  }

  ObjectNode task(ObjectNode d, int object, int version, int pid, String date) {
    ObjectNode v =
        vertex(d, "activity", id("task", object, version), "task", object, version, date);
    v.put("cf:pid", pid);
    v.put("cf:vpid", pid);
    v.put("cf:uid", 1001);
    v.put("cf:gid", 1001);
    return v;
  }

  ObjectNode inode(ObjectNode d, int object, int version, long ino, String date) {
    ObjectNode v = vertex(d, "entity", id("file", object, version), "file", object, version, date);
    v.put("cf:ino", ino);
    v.put("cf:uuid", "0a1b2c3d-0000-4000-8000-000000000001");
    v.put("cf:mode", "0x81a4");
    return v;
  }

  ObjectNode path(ObjectNode d, int object, String pathname, String date) {
    ObjectNode v = vertex(d, "entity", id("path", object, 0), "path", object, 0, date);
    v.put("cf:pathname", pathname);
    return v;
  }

  ObjectNode argv(ObjectNode d, int object, String value, String date) {
    ObjectNode v = vertex(d, "entity", id("argv", object, 0), "argv", object, 0, date);
    v.put("cf:value", value);
    return v;
  }

  ObjectNode relation(
      ObjectNode d,
      String section,
      String relId,
      String type,
      String a1,
      String v1,
      String a2,
      String v2,
      String date) {
    ObjectNode r = d.with(section).putObject(relId);
    r.put("prov:type", type);
    r.put("prov:label", type);
    r.put(a1, v1);
    r.put(a2, v2);
    r.put("cf:id", relId.hashCode() & 0xffff);
    r.put("cf:boot_id", BOOT);
    r.put("cf:machine_id", "4242");
    r.put("cf:date", date);
    r.put("cf:allowed", "true");
    return r;
  }

  static byte[] encode(byte[] raw) {
    Deflater d = new Deflater();
    d.setInput(raw);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return Base64.getEncoder().encode(out.toByteArray());
  }

  byte[] packet(ObjectNode doc) throws Exception {
    return encode(json.writeValueAsBytes(doc));
  }

  void publish(String topic, byte[] payload) throws Exception {
    publisher.publish(topic, payload, 1, false);
  }

  // Object ids of the scenario: bash (1) forks python (2), which reads /data/in.csv (10) with
  // argv "python train.py" and writes /data/out.csv (11).
  static final String T0 = "2026:01:05T10:00:00";
  static final String T1 = "2026:01:05T10:00:01";
  static final String T2 = "2026:01:05T10:00:02";
  static final String T3 = "2026:01:05T10:00:03";

  @Test
  @Order(1)
  void packetsBecomeTheSameGraphAsAuditData() throws Exception {
    publish(
        machinesTopic,
        "{\"machine_id\":\"4242\",\"hostname\":\"cfhost\"}".getBytes(StandardCharsets.UTF_8));
    await(
        "subscribed to the machine",
        Duration.ofSeconds(20),
        () -> count(db, "SELECT count(*) FROM camflow_machines") == 1);
    Thread.sleep(300); // the subscription is made right after the machine row
    String topic = prefix + "4242";

    // Packet 1: relations only, naming vertices that come later (out of order).
    ObjectNode p1 = doc();
    relation(
        p1,
        "wasInformedBy",
        "rel-clone",
        "clone",
        "prov:informant",
        id("task", 1, 0),
        "prov:informed",
        id("task", 2, 0),
        T0);
    relation(
        p1,
        "used",
        "rel-read",
        "read",
        "prov:entity",
        id("file", 10, 0),
        "prov:activity",
        id("task", 2, 1),
        T1);
    publish(topic, packet(p1));

    // Packet 2: the tasks, the input inode and its name.
    ObjectNode p2 = doc();
    task(p2, 1, 0, 100, T0);
    task(p2, 2, 0, 200, T0);
    task(p2, 2, 1, 200, T1);
    inode(p2, 10, 0, 5001, T0);
    path(p2, 20, "/data/in.csv", T0);
    relation(
        p2,
        "wasDerivedFrom",
        "rel-name-in",
        "named",
        "prov:usedEntity",
        id("path", 20, 0),
        "prov:generatedEntity",
        id("file", 10, 0),
        T0);
    relation(
        p2,
        "wasInformedBy",
        "rel-version",
        "version_activity",
        "prov:informant",
        id("task", 2, 0),
        "prov:informed",
        id("task", 2, 1),
        T1);
    argv(p2, 30, "python", T0);
    argv(p2, 31, "train.py", T0);
    ObjectNode a0 =
        relation(
            p2,
            "used",
            "rel-arg0",
            "arg",
            "prov:entity",
            id("argv", 30, 0),
            "prov:activity",
            id("task", 2, 0),
            T0);
    a0.put("cf:offset", 0);
    ObjectNode a1 =
        relation(
            p2,
            "used",
            "rel-arg1",
            "arg",
            "prov:entity",
            id("argv", 31, 0),
            "prov:activity",
            id("task", 2, 0),
            T0);
    a1.put("cf:offset", 1);
    publish(topic, packet(p2));

    // Packet 3: the output and its write; sent twice.
    ObjectNode p3 = doc();
    inode(p3, 11, 1, 5002, T2);
    path(p3, 21, "/data/out.csv", T2);
    relation(
        p3,
        "wasDerivedFrom",
        "rel-name-out",
        "named",
        "prov:usedEntity",
        id("path", 21, 0),
        "prov:generatedEntity",
        id("file", 11, 1),
        T2);
    relation(
        p3,
        "wasGeneratedBy",
        "rel-write",
        "write",
        "prov:activity",
        id("task", 2, 1),
        "prov:entity",
        id("file", 11, 1),
        T2);
    byte[] p3bytes = packet(p3);
    publish(topic, p3bytes);
    publish(topic, p3bytes);

    // Corrupt packets: each stage of decoding.
    publish(topic, "!!! not base64 !!!".getBytes(StandardCharsets.UTF_8));
    publish(topic, Base64.getEncoder().encode("not zlib at all".getBytes(StandardCharsets.UTF_8)));
    publish(topic, encode("{\"entity\": {".getBytes(StandardCharsets.UTF_8)));
    publish(topic, encode("{\"entity\": [1, 2]}".getBytes(StandardCharsets.UTF_8)));

    await(
        "packets stored and corrupt ones set aside",
        Duration.ofSeconds(60),
        () ->
            count(db, "SELECT count(*) FROM camflow_packets") == 3
                && count(db, "SELECT count(*) FROM camflow_dead_letters") == 4);
    assertEquals(1, consumer.duplicates());
    assertEquals(4, consumer.deadLetters());
    assertEquals(0, count(db, "SELECT count(*) FROM camflow_pending"), "every relation resolved");
    Set<String> reasons = new HashSet<>();
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT reason FROM camflow_dead_letters")) {
      while (rs.next()) {
        reasons.add(rs.getString(1).replaceAll(":.*", ""));
      }
    }
    assertEquals(Set.of("base64", "zlib", "json", "structure"), reasons);

    // The status row: packets as events, corrupt packets as dead-lettered, no lag (MQTT has none).
    String id = instances.get(0);
    await(
        "the status row to count the packets",
        Duration.ofSeconds(30),
        () ->
            ConsumerHarness.rows(
                    db,
                    "SELECT events_total, dead_lettered_total FROM consumer_status"
                        + " WHERE instance_id = ?",
                    id)
                .equals(List.of(List.of("3", "4"))));
    assertEquals(
        List.of(
            Arrays.asList("camflow", prefix + "+", "it-camflow-" + run, "t", "4", null, "t", "t")),
        ConsumerHarness.rows(
            db,
            "SELECT source, topic, group_id, running, batches_total, lag,"
                + " last_batch_ms IS NOT NULL, started <= updated"
                + " FROM consumer_status WHERE instance_id = ?",
            id));

    // The same graph rows as audit data.
    assertEquals(2, count(db, "SELECT count(*) FROM processes WHERE host = 'cfhost'"));
    assertEquals(
        1,
        count(
            db,
            "SELECT count(*) FROM was_informed_by WHERE host = 'cfhost' AND kind = 'fork' AND pid = 200 AND informant_pid = 100"));
    assertEquals(
        1,
        count(
            db,
            "SELECT count(*) FROM used WHERE host = 'cfhost' AND kind = 'read' AND inode = 5001"));
    assertEquals(
        1,
        count(
            db,
            "SELECT count(*) FROM file_versions WHERE host = 'cfhost' AND inode = 5002 AND path = '/data/out.csv' AND pid = 200"));
    assertEquals(
        1,
        count(
            db,
            "SELECT count(*) FROM processes WHERE host = 'cfhost' AND pid = 200 AND argv = ARRAY['python', 'train.py']"));
  }

  @Test
  @Order(2)
  void nothingIsLostWhileTheConsumerIsDownAndPendingRelationsSurviveARestart() throws Exception {
    String topic = prefix + "4242";
    // A second write by bash whose output inode comes only after the restart.
    ObjectNode p4 = doc();
    relation(
        p4,
        "wasGeneratedBy",
        "rel-write2",
        "write",
        "prov:activity",
        id("task", 1, 0),
        "prov:entity",
        id("file", 12, 1),
        T3);
    publish(topic, packet(p4));
    await(
        "the relation waits",
        Duration.ofSeconds(30),
        () -> count(db, "SELECT count(*) FROM camflow_pending") == 1);
    stopConsumer();

    ObjectNode p5 = doc();
    inode(p5, 12, 1, 5003, T3);
    path(p5, 22, "/data/log.txt", T3);
    relation(
        p5,
        "wasDerivedFrom",
        "rel-name-log",
        "named",
        "prov:usedEntity",
        id("path", 22, 0),
        "prov:generatedEntity",
        id("file", 12, 1),
        T3);
    // The stopped instance's final report says so and has every packet it stored.
    assertEquals(
        List.of(List.of("f", "4", "4")),
        ConsumerHarness.rows(
            db,
            "SELECT running, events_total, dead_lettered_total FROM consumer_status"
                + " WHERE instance_id = ?",
            instances.get(0)));
    publish(topic, packet(p5)); // while the consumer is down: the broker keeps it for the session
    startConsumer();
    await(
        "the kept packet completed the pending relation",
        Duration.ofSeconds(60),
        () ->
            count(db, "SELECT count(*) FROM camflow_pending") == 0
                && count(db, "SELECT count(*) FROM file_versions WHERE inode = 5003 AND pid = 100")
                    == 1);
  }

  @Test
  @Order(3)
  void lineageThroughTheApiAndProvRoundTrip() throws Exception {
    try (Backend backend = TestBackends.open(db, ADMIN_TOKEN)) {
      String base = "http://127.0.0.1:" + backend.port();
      HttpResponse<String> r =
          get(
              base
                  + "/api/v1/lineage?host="
                  + HOST
                  + "&path="
                  + q("/data/out.csv")
                  + "&direction=upstream&depth=5");
      assertEquals(200, r.statusCode(), r.body());
      JsonNode g = json.readTree(r.body());
      Set<String> files = new HashSet<>();
      Map<Integer, String> procs = new HashMap<>();
      for (JsonNode n : g.get("nodes")) {
        if (n.get("type").asText().equals("file")) {
          files.add(n.get("path").asText());
        } else {
          procs.put(n.get("pid").asInt(), n.get("cmdline").asText());
        }
      }
      assertEquals(Set.of("/data/out.csv", "/data/in.csv"), files, r.body());
      assertEquals("python train.py", procs.get(200), r.body());
      Set<String> edges = new HashSet<>();
      g.get("edges").forEach(e -> edges.add(e.get("type").asText()));
      assertTrue(edges.containsAll(Set.of("wasGeneratedBy", "used")), r.body());

      // The status rows as the dashboard reads them: the stopped instance's totals, the running
      // one up, and no lag series for either (unknown is left out, never written as 0).
      String stopped = labels(instances.get(0));
      String running = labels(instances.get(1));
      await(
          "the restarted consumer's packet in its status row",
          Duration.ofSeconds(30),
          () -> metrics(base).contains("ursprung_consumer_events_total" + running + " 1\n"));
      String m = metrics(base);
      assertTrue(m.contains("ursprung_consumer_up" + stopped + " 0\n"), m);
      assertTrue(m.contains("ursprung_consumer_events_total" + stopped + " 4\n"), m);
      assertTrue(m.contains("ursprung_consumer_dead_lettered_total" + stopped + " 4\n"), m);
      assertTrue(m.contains("ursprung_consumer_up" + running + " 1\n"), m);
      assertTrue(m.contains("ursprung_consumer_last_batch_seconds" + running + " "), m);
      assertFalse(m.contains("ursprung_consumer_lag{source=\"camflow\""), m);

      HttpResponse<String> prov =
          get(
              base
                  + "/api/v1/lineage?host="
                  + HOST
                  + "&path="
                  + q("/data/out.csv")
                  + "&direction=upstream&depth=5&format=prov");
      assertEquals(200, prov.statusCode(), prov.body());
      JsonNode pd = json.readTree(prov.body());
      assertEquals(ProvExport.NAMESPACE, pd.get("prefix").get("ursprung").asText());
      assertEquals(2, pd.get("entity").size());
    }

    // Export → import into a fresh store → export: the same document.
    Viewer admin = new Viewer(0, "it", Role.ADMIN, Set.of(), Set.of());
    LineageGraph g1 =
        new JdbcLineageService(db.dataSource())
            .fromFile(admin, HOST, "/data/out.csv", null, Direction.UPSTREAM, 5, 1000)
            .orElseThrow();
    ProvStore prov1 =
        new ProvStore(db.dataSource(), new GraphStore(db.dataSource(), Duration.ZERO));
    ObjectNode d1 = ProvExport.of(g1, prov1.overlay());
    String text = pretty(d1);
    try (Database fresh = freshDatabase()) {
      ProvStore prov2 =
          new ProvStore(fresh.dataSource(), new GraphStore(fresh.dataSource(), Duration.ZERO));
      ProvStore.ImportResult res = prov2.importDocument("out.json", text);
      assertFalse(res.alreadyImported());
      assertTrue(res.processes() >= 1 && res.versions() >= 1, res.toString());
      LineageGraph g2 =
          new JdbcLineageService(fresh.dataSource())
              .fromFile(admin, HOST, "/data/out.csv", null, Direction.UPSTREAM, 5, 1000)
              .orElseThrow();
      // The same document: the same text (Jackson's node equality tells int from long nodes).
      assertEquals(text, pretty(ProvExport.of(g2, prov2.overlay())), "export → import → export");
      assertTrue(prov2.importDocument("out.json", text).alreadyImported());

      // A document with what the graph cannot hold (agents, other relation kinds, bundles,
      // typed values) comes back exactly.
      String other =
          Files.readString(Path.of("src", "test", "resources", "prov", "full-document.json"));
      ProvStore.ImportResult o = prov2.importDocument("full.json", other);
      assertEquals(other, prov2.document(o.docId()).orElseThrow());
    }
    // Importing the export into its own store doubles nothing.
    prov1.importDocument("out.json", text);
    LineageGraph g3 =
        new JdbcLineageService(db.dataSource())
            .fromFile(admin, HOST, "/data/out.csv", null, Direction.UPSTREAM, 5, 1000)
            .orElseThrow();
    assertEquals(text, pretty(ProvExport.of(g3, prov1.overlay())));
  }

  @Test
  @Order(4)
  void theCommandRejectsInvalidDocumentsSayingWhere(@TempDir Path dir) throws Exception {
    // In a directory JUnit removes afterwards: temporary files were left in /tmp by every run.
    Path bad = dir.resolve("bad-prov.json");
    Files.writeString(
        bad,
        "{\"prefix\": {\"ex\": \"http://example.org/\"},"
            + " \"used\": {\"_:u1\": {\"prov:entity\": \"ex:e1\"}}}");
    StringWriter err = new StringWriter();
    int code =
        UrsprungCommand.commandLine()
            .setErr(new PrintWriter(err))
            .execute(
                "prov",
                "import",
                bad.toString(),
                "--set",
                "db.url=" + db.jdbcUrl(),
                "--set",
                "db.user=" + db.user());
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("/used/_:u1: used requires prov:activity"), err.toString());

    // And the command's export gives the document the API does.
    Path out = dir.resolve("out-prov.json");
    List<String> args =
        new ArrayList<>(
            List.of(
                "prov",
                "export",
                "--host",
                HOST,
                "--path",
                "/data/out.csv",
                "--depth",
                "5",
                "-o",
                out.toString(),
                "--set",
                "db.url=" + db.jdbcUrl(),
                "--set",
                "db.user=" + db.user()));
    if (db.password() != null) {
      args.add("--set");
      args.add("db.password=" + db.password());
    }
    StringWriter err2 = new StringWriter();
    assertEquals(
        0,
        UrsprungCommand.commandLine()
            .setErr(new PrintWriter(err2))
            .execute(args.toArray(String[]::new)),
        err2.toString());
    JsonNode exported = json.readTree(out.toFile());
    assertEquals(2, exported.get("entity").size());
    assertTrue(exported.has("wasGeneratedBy"));
  }

  String metrics(String base) {
    try {
      HttpResponse<String> r = get(base + "/api/v1/metrics");
      assertEquals(200, r.statusCode(), r.body());
      return r.body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The labels of a CamFlow instance's series on GET /api/v1/metrics. */
  String labels(String instance) {
    return "{source=\"camflow\",instance=\""
        + instance
        + "\",group=\"it-camflow-"
        + run
        + "\",topic=\""
        + prefix
        + "+\"}";
  }

  static String pretty(ObjectNode doc) throws Exception {
    return ProvDocuments.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
  }

  static String adminUrl() {
    return System.getenv().getOrDefault("URSPRUNG_TEST_JDBC_URL", PostgresExtension.DEFAULT_URL);
  }

  String copyName() {
    return "ursprung_it_camflow_copy_" + run;
  }

  Database freshDatabase() throws Exception {
    String name = copyName();
    try (Connection c = DriverManager.getConnection(adminUrl(), db.user(), db.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    String url = db.jdbcUrl().replaceAll("/[^/?]+(\\?|$)", "/" + name + "$1");
    Database fresh = Database.open(url, db.user(), db.password(), "it-copy", 2);
    fresh.migrate();
    return fresh;
  }

  HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
