package io.ursprung.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ursprung.db.lineage.NodeId;
import io.ursprung.db.rules.AlertQueries;
import io.ursprung.db.rules.TrackedContent;
import io.ursprung.db.rules.TrackedVersion;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Input that used to reach the store or a service unchecked: times outside what the store can hold,
 * NUL in a JSON body, diffs across files, and store outages behind the rule outputs. Each must be a
 * 4xx naming the parameter, or a 503; never a 500.
 */
class BadInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAR_FUTURE = "+1000000000-01-01T00:00:00Z";
  private static final String BEYOND_POSTGRES = "+300000-01-01T00:00:00Z";
  private static final String BEFORE_YEAR_ONE = "-0001-12-31T00:00:00Z";
  private static Fakes fakes;
  private static Fakes.Store store;
  private static Backend backend;
  private static String base;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    fakes = new Fakes();
    store = new Fakes.Store();
    Services plain = fakes.services();
    Services services =
        new Services(
            plain.auth(),
            plain.lineage(),
            plain.queries(),
            new AlertQueries(store.dataSource()),
            new TrackedContent(store.dataSource()));
    BackendConfig config =
        BackendConfig.from(
            BackendConfig.DEFINITION.parse(
                Map.of(),
                Map.of(),
                Map.of(BackendConfig.PORT, "0", BackendConfig.BIND, "127.0.0.1")));
    backend = Backend.create(config, services, Clock.systemUTC());
    base = "http://127.0.0.1:" + backend.start();
    api = new ApiClient(base);
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  @AfterEach
  void storeBackUp() {
    store.down = false;
    store.tracked.clear();
  }

  /** Asserts a 400 and returns the fields it names. */
  private static Set<String> badFields(HttpResponse<String> r) throws Exception {
    assertEquals(400, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals(400, body.get("status").asInt());
    Set<String> fields = new HashSet<>();
    body.get("errors").forEach(e -> fields.add(e.get("field").asText()));
    return fields;
  }

  @Test
  void timesOutsideYears1To9999AreTold400ForEveryTimeParameter() throws Exception {
    for (String t : new String[] {FAR_FUTURE, BEYOND_POSTGRES, BEFORE_YEAR_ONE}) {
      String v = ApiClient.q(t);
      assertEquals(
          Set.of("from", "to"),
          badFields(api.get("/api/v1/processes?from=" + v + "&to=" + v, Fakes.BOB_TOKEN)),
          t);
      assertEquals(
          Set.of("from", "to"),
          badFields(api.get("/api/v1/runs?from=" + v + "&to=" + v, Fakes.BOB_TOKEN)),
          t);
      assertEquals(
          Set.of("from"), badFields(api.get("/api/v1/jobs?from=" + v, Fakes.BOB_TOKEN)), t);
      assertEquals(
          Set.of("to"), badFields(api.get("/api/v1/jobs/usage?to=" + v, Fakes.BOB_TOKEN)), t);
      assertEquals(
          Set.of("start"),
          badFields(api.get("/api/v1/lineage?host=h&pid=1&start=" + v, Fakes.BOB_TOKEN)),
          t);
      assertEquals(
          Set.of("since"), badFields(api.get("/api/v1/alerts?since=" + v, Fakes.ADMIN_TOKEN)), t);
    }
    HttpResponse<String> r =
        api.get("/api/v1/processes?from=" + ApiClient.q(FAR_FUTURE), Fakes.BOB_TOKEN);
    badFields(r);
    assertTrue(r.body().contains("9999"), r.body());
  }

  @Test
  void theEdgesOfTheTimeRangeAreAccepted() throws Exception {
    String first = ApiClient.q("0001-01-01T00:00:00Z");
    String last = ApiClient.q("9999-12-31T23:59:59.999999Z");
    HttpResponse<String> r =
        api.get("/api/v1/processes?from=" + first + "&to=" + last, Fakes.BOB_TOKEN);
    assertEquals(200, r.statusCode(), r.body());
    r = api.get("/api/v1/runs?from=" + first + "&to=" + last, Fakes.BOB_TOKEN);
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void nodeIdsWithTimesOutsideTheRangeAre400() throws Exception {
    // Long.MAX_VALUE µs is in the year 294247: parseable, but beyond what the store holds.
    String far = "p:worker01:42:" + Long.MAX_VALUE;
    String farFile = "f:worker01:7:" + Long.MIN_VALUE + ":253:1";
    assertEquals(
        Set.of("nodeId"),
        badFields(api.get("/api/v1/lineage?nodeId=" + ApiClient.q(far), Fakes.BOB_TOKEN)));
    assertEquals(
        Set.of("processId"),
        badFields(api.get("/api/v1/lineage?processId=" + ApiClient.q(far), Fakes.BOB_TOKEN)));
    assertEquals(
        Set.of("node"),
        badFields(api.get("/api/v1/neighbourhood?node=" + ApiClient.q(far), Fakes.BOB_TOKEN)));
    assertEquals(
        Set.of("id"), badFields(api.get("/api/v1/processes/" + ApiClient.q(far), Fakes.BOB_TOKEN)));
    assertEquals(
        Set.of("id"), badFields(api.get("/api/v1/files/" + ApiClient.q(farFile), Fakes.BOB_TOKEN)));
    assertEquals(
        Set.of("ids"),
        badFields(
            api.get(
                "/api/v1/runs/compare?ids=" + ApiClient.q(far + ",p:worker01:1:1"),
                Fakes.BOB_TOKEN)));
  }

  @Test
  void nodeTimesOutsideTheNanosecondRangeAreAnsweredNotFailed() throws Exception {
    // Years 2300 and 1600 are inside the accepted range but outside 1677..2262, where counting
    // microseconds through nanoseconds overflowed (a 500); they must reach the store (404: no such
    // process in the fakes), by host/pid/start and by node id alike.
    for (String t : new String[] {"2300-06-01T12:00:00.123456Z", "1600-06-01T12:00:00.123456Z"}) {
      HttpResponse<String> byPid =
          api.get("/api/v1/lineage?host=worker01&pid=42&start=" + ApiClient.q(t), Fakes.BOB_TOKEN);
      assertEquals(404, byPid.statusCode(), t + ": " + byPid.body());
      NodeId.Process p = new NodeId.Process("worker01", 42, Instant.parse(t));
      assertEquals(p, NodeId.parse(p.text()));
      HttpResponse<String> byId =
          api.get("/api/v1/lineage?nodeId=" + ApiClient.q(p.text()), Fakes.BOB_TOKEN);
      assertEquals(404, byId.statusCode(), t + ": " + byId.body());
    }
  }

  @Test
  void nulInALoginNameIs400NamingTheField() throws Exception {
    HttpResponse<String> r =
        api.post("/api/v1/login", "{\"name\":\"a\\u0000b\",\"password\":\"x\"}");
    assertEquals(Set.of("name"), badFields(r));
  }

  @Test
  void aDiffOfVersionsOfDifferentFilesIs400() throws Exception {
    Instant t = Fakes.T0;
    store.tracked.put(
        "e1",
        new TrackedVersion(
            "worker01", "e1", "253:1", 7, "/a", t, "/repo/a.git", "a", "0".repeat(40), 1));
    store.tracked.put(
        "e2",
        new TrackedVersion(
            "worker01", "e2", "253:1", 8, "/b", t, "/repo/a.git", "b", "1".repeat(40), 1));
    HttpResponse<String> r =
        api.get("/api/v1/tracked/diff?host=worker01&from=e1&to=e2", Fakes.ADMIN_TOKEN);
    Set<String> fields = badFields(r);
    assertEquals(Set.of("to"), fields);
    assertTrue(r.body().contains("different file"), r.body());
  }

  @Test
  void anAlertOrTrackedStoreOutageIs503() throws Exception {
    store.down = true;
    for (String path :
        new String[] {
          "/api/v1/alerts",
          "/api/v1/tracked?path=/a",
          "/api/v1/tracked/content?host=worker01&version=e1",
          "/api/v1/tracked/diff?host=worker01&from=e1&to=e2"
        }) {
      HttpResponse<String> r = api.get(path, Fakes.ADMIN_TOKEN);
      assertEquals(503, r.statusCode(), path + ": " + r.body());
      assertEquals(503, JSON.readTree(r.body()).get("status").asInt());
    }
  }

  @Test
  void anUnreadableTrackedRepositoryIs503() throws Exception {
    store.tracked.put(
        "e1",
        new TrackedVersion(
            "worker01",
            "e1",
            "253:1",
            7,
            "/a",
            Fakes.T0,
            "/nonexistent/repo.git",
            "a",
            "0".repeat(40),
            1));
    HttpResponse<String> r =
        api.get("/api/v1/tracked/content?host=worker01&version=e1", Fakes.ADMIN_TOKEN);
    assertEquals(503, r.statusCode(), r.body());
  }
}
