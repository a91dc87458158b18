package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ursprung.backend.Backend;
import io.ursprung.consumer.Source;
import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Viewer;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.lineage.Direction;
import io.ursprung.db.lineage.JdbcLineageService;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.lineage.Node;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.KafkaExtension;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import io.ursprung.testkit.TestKafka;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST API over the real etl-bob capture (auditd plugin → Kafka → consumer → PostgreSQL),
 * answering the questions of testdata/audit/README.md, keeping users apart, and shrugging off
 * hostile input.
 */
@ExtendWith({KafkaExtension.class, PostgresExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LineageApiIT {
  static final String ETL = "/home/bob/etl/";
  static final String ADMIN_TOKEN = "it-admin-token-0123456789abcdef";
  static final Path TESTDATA =
      Path.of("..", "..", "shared", "testdata", "audit").toAbsolutePath().normalize();

  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();
  TestDatabase db;
  Backend backend;
  String base;
  String bob;
  String alice;

  @BeforeAll
  void replayAndStart(TestKafka kafka, TestDatabase db) throws Exception {
    this.db = db;
    List<ProvEvent> events = AuditCapture.events(TESTDATA.resolve("etl-bob.plugin-stream.log"));
    String topic = kafka.createTopic("auditd-lineage", 2);
    try (ConsumerHarness.Running c =
        ConsumerHarness.start(
            ConsumerHarness.settings(Source.AUDITD, kafka, db, topic, db.jdbcUrl(), 1000),
            new GraphStore(db.dataSource(), Duration.ofSeconds(1)))) {
      ConsumerHarness.send(kafka, topic, events);
      await(
          "the capture stored",
          Duration.ofSeconds(120),
          () -> count(db, "SELECT count(*) FROM event_archive") == events.size());
    }
    backend = TestBackends.open(db, ADMIN_TOKEN);
    base = "http://127.0.0.1:" + backend.port();
    assertEquals(
        201,
        put(
                "/api/v1/users/bob",
                "{\"password\":\"bob-password-123\",\"role\":\"viewer\",\"uids\":[1001]}")
            .statusCode());
    assertEquals(
        201,
        put(
                "/api/v1/users/alice",
                "{\"password\":\"alice-password-12\",\"role\":\"viewer\",\"uids\":[1002]}")
            .statusCode());
    bob = login("bob", "bob-password-123");
    alice = login("alice", "alice-password-12");
  }

  @AfterAll
  void stop() {
    if (backend != null) {
      backend.close();
    }
  }

  String login(String name, String password) throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + name + "\",\"password\":\"" + password + "\"}")));
    assertEquals(200, r.statusCode(), r.body());
    return json.readTree(r.body()).get("token").asText();
  }

  HttpResponse<String> put(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", "Bearer " + token)
            .GET());
  }

  HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode ok(String path, String token) throws Exception {
    HttpResponse<String> r = get(path, token);
    assertEquals(200, r.statusCode(), path + " -> " + r.body());
    return json.readTree(r.body());
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static List<String> paths(JsonNode graph) {
    List<String> out = new ArrayList<>();
    graph
        .get("nodes")
        .forEach(
            n -> {
              if (n.get("type").asText().equals("file")) {
                out.add(n.get("path").asText());
              }
            });
    return out;
  }

  static List<String> cmdlines(JsonNode graph) {
    List<String> out = new ArrayList<>();
    graph
        .get("nodes")
        .forEach(
            n -> {
              if (n.get("type").asText().equals("process")) {
                out.add(n.get("cmdline").asText());
              }
            });
    return out;
  }

  static boolean hasEdge(JsonNode graph, String type, String kind) {
    for (JsonNode e : graph.get("edges")) {
      if (e.get("type").asText().equals(type) && e.get("kind").asText().equals(kind)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void upstreamOfTheSortedRowsReachesRowsCsvThroughPipesAndExtractCThroughTheExecutable()
      throws Exception {
    JsonNode g =
        ok(
            "/api/v1/lineage?host=worker01&direction=upstream&depth=30&limit=5000&path="
                + q(ETL + "out/rows.sorted.gz"),
            bob);
    List<String> paths = paths(g);
    List<String> cmds = cmdlines(g);
    assertTrue(paths.contains(ETL + "out/rows.csv"), paths.toString());
    assertTrue(paths.contains(ETL + "extract.c"), paths.toString());
    assertTrue(paths.contains(ETL + "extract"), paths.toString());
    assertTrue(cmds.stream().anyMatch(c -> c.startsWith("gzip")), cmds.toString());
    assertTrue(cmds.stream().anyMatch(c -> c.startsWith("uniq")), cmds.toString());
    assertTrue(
        cmds.stream().anyMatch(c -> c.startsWith("sort -t, -k1 -n out/rows.csv")), cmds.toString());
    assertTrue(hasEdge(g, "wasInformedBy", "pipe"), g.get("edges").toString());
    assertTrue(hasEdge(g, "used", "exec"));
    // Each node once: the walk never loops.
    List<String> ids = new ArrayList<>();
    g.get("nodes").forEach(n -> ids.add(n.get("id").asText()));
    assertEquals(ids.size(), ids.stream().distinct().count());
  }

  /**
   * The backend as configured (lineage cache on) answers walks from memory once the cache has
   * loaded, when the server allows it, with the answer the SQL walk gives.
   */
  @Test
  void walksComeFromTheLineageCacheWithTheSqlWalksAnswer() throws Exception {
    String walLevel;
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW wal_level")) {
      rs.next();
      walLevel = rs.getString(1);
    }
    assumeTrue(
        "logical".equals(walLevel),
        "the server's wal_level is " + walLevel + ": the backend's lineage cache stays off");
    await(
        "the lineage cache loaded",
        Duration.ofSeconds(60),
        () -> metric("ursprung_lineage_cache_ready") == 1);
    long fromMemory = metric("ursprung_lineage_walks_total{from=\"memory\"}");
    JsonNode g =
        ok(
            "/api/v1/lineage?host=worker01&direction=upstream&depth=30&limit=5000&path="
                + q(ETL + "out/rows.sorted.gz"),
            bob);
    assertEquals(fromMemory + 1, metric("ursprung_lineage_walks_total{from=\"memory\"}"));
    LineageGraph sql =
        new JdbcLineageService(db.dataSource())
            .fromFile(
                new Viewer(0, "bob", Role.VIEWER, Set.of(1001), Set.of()),
                "worker01",
                ETL + "out/rows.sorted.gz",
                null,
                Direction.UPSTREAM,
                30,
                5000)
            .orElseThrow();
    List<String> ids = new ArrayList<>();
    g.get("nodes").forEach(n -> ids.add(n.get("id").asText()));
    assertEquals(sql.nodes().stream().map(Node::id).toList(), ids);
    Set<String> edges = new HashSet<>();
    g.get("edges")
        .forEach(
            e ->
                edges.add(
                    e.get("from").asText()
                        + " "
                        + e.get("to").asText()
                        + " "
                        + e.get("type").asText()
                        + " "
                        + e.get("kind").asText()));
    Set<String> sqlEdges = new HashSet<>();
    sql.edges()
        .forEach(e -> sqlEdges.add(e.from() + " " + e.to() + " " + e.type() + " " + e.kind()));
    assertEquals(sqlEdges, edges);
    assertTrue(sql.nodes().size() > 10, "a small answer: " + sql.nodes().size());
  }

  /** A sample of /api/v1/metrics, e.g. {@code ursprung_lineage_cache_ready}; -1 when absent. */
  long metric(String series) {
    try {
      for (String line : get("/api/v1/metrics", ADMIN_TOKEN).body().split("\n")) {
        if (line.startsWith(series + " ")) {
          return Long.parseLong(line.substring(series.length() + 1).trim());
        }
      }
      return -1;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void downstreamOfTheDeletedPartReachesTheArchive() throws Exception {
    JsonNode g =
        ok(
            "/api/v1/lineage?host=worker01&direction=downstream&depth=30&path="
                + q(ETL + "in/part2.csv"),
            bob);
    List<String> paths = paths(g);
    assertTrue(paths.contains(ETL + "in/all.csv"), paths.toString());
    assertTrue(paths.contains(ETL + "out/rows.csv"), paths.toString());
    assertTrue(paths.contains(ETL + "out/archive.tar"), paths.toString());
  }

  @Test
  void reproduceSummaryJsonListsTheCommandsInOrder() throws Exception {
    JsonNode plan = ok("/api/v1/reproduce?host=worker01&path=" + q(ETL + "out/summary.json"), bob);
    List<String> cmds = new ArrayList<>();
    plan.get("steps").forEach(s -> cmds.add(s.get("cmdline").asText()));
    String[] expected = {
      "gcc -O1 -o extract extract.c",
      "cat in/part1.csv in/part2.csv in/part3.csv",
      "./extract in/all.csv out/rows.csv",
      "sort -t, -k1 -n out/rows.csv",
      "uniq",
      "gzip",
      "python3 -",
      "mv out/summary.json.part out/summary.json"
    };
    int at = -1;
    for (String e : expected) {
      int i = -1;
      for (int k = 0; k < cmds.size(); k++) {
        if (cmds.get(k).equals(e)) {
          i = k;
          break;
        }
      }
      assertTrue(i > at, e + " missing or out of order in " + cmds);
      at = i;
    }
    String script = plan.get("script").asText();
    assertTrue(script.contains("cd /home/bob/etl"), script);
    assertTrue(
        script.contains("sort -t, -k1 -n out/rows.csv | uniq | gzip > out/rows.sorted.gz"), script);
    assertTrue(script.contains("mv out/summary.json.part out/summary.json"), script);
  }

  @Test
  void aliceSeesNoneOfBobsProvenance() throws Exception {
    String path = q(ETL + "out/rows.sorted.gz");
    assertEquals(404, get("/api/v1/lineage?host=worker01&path=" + path, alice).statusCode());
    assertEquals(404, get("/api/v1/reproduce?host=worker01&path=" + path, alice).statusCode());
    JsonNode procs = ok("/api/v1/processes?q=sort", alice);
    assertEquals(0, procs.get("items").size());
    JsonNode files = ok("/api/v1/files?path=" + q(ETL), alice);
    assertEquals(0, files.get("items").size());
    JsonNode bobs = ok("/api/v1/processes?q=sort", bob);
    assertTrue(bobs.get("items").size() > 0);
    String id = bobs.get("items").get(0).get("id").asText();
    assertEquals(404, get("/api/v1/processes/" + q(id), alice).statusCode());
    assertEquals(404, get("/api/v1/lineage?processId=" + q(id), alice).statusCode());
    assertEquals(404, get("/api/v1/neighbourhood?node=" + q(id), alice).statusCode());
    assertEquals(200, get("/api/v1/processes/" + q(id), bob).statusCode());
    assertEquals(200, get("/api/v1/neighbourhood?node=" + q(id), bob).statusCode());
    assertEquals(200, get("/api/v1/runs", bob).statusCode());
    assertEquals(0, ok("/api/v1/runs", alice).get("items").size());
  }

  @Test
  void hostileInputGets4xxAndChangesNothing() throws Exception {
    long before =
        count(db, "SELECT count(*) FROM processes") + count(db, "SELECT count(*) FROM used");
    String[] queries = {
      "/api/v1/lineage?host=worker01&path=" + q("/x' OR '1'='1"),
      "/api/v1/lineage?host=worker01&path=" + q("/x'; DELETE FROM processes; --"),
      "/api/v1/lineage?host=worker01&path=" + q(ETL + "../../../etc/passwd"),
      "/api/v1/lineage?host=" + q("worker01' --") + "&path=/x",
      "/api/v1/lineage?host=worker01&path=/x&depth=100000000",
      "/api/v1/lineage?host=worker01&path=/x&limit=99999999999999",
      "/api/v1/files?glob=" + q("%' OR 1=1; DROP TABLE used; --"),
      "/api/v1/processes?q=" + q("'; DROP TABLE processes; --"),
      "/api/v1/processes/" + q("p:worker01:1:1' OR 1=1"),
      "/api/v1/runs/compare?ids=" + q("p:w:1:1,p:w:2:x"),
    };
    for (String path : queries) {
      int status = get(path, bob).statusCode();
      assertTrue(status >= 400 && status < 500 || status == 200, path + " gave " + status);
    }
    HttpResponse<String> bad =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bob\"")));
    assertEquals(400, bad.statusCode());
    long after =
        count(db, "SELECT count(*) FROM processes") + count(db, "SELECT count(*) FROM used");
    assertEquals(before, after);
  }
}
