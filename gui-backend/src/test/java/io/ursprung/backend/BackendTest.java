package io.ursprung.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP contract of the API over in-memory services: status codes, error shape, CORS, auth. */
class BackendTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Fakes fakes;
  private static Backend backend;
  private static String base;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    fakes = new Fakes();
    BackendConfig config =
        BackendConfig.from(
            BackendConfig.DEFINITION.parse(
                Map.of(),
                Map.of(),
                Map.of(
                    BackendConfig.PORT, "0",
                    BackendConfig.BIND, "127.0.0.1",
                    BackendConfig.LOGIN_FAILURES, "3",
                    BackendConfig.MAX_DEPTH, "100")));
    backend = Backend.create(config, fakes.services(), Clock.systemUTC());
    base = "http://127.0.0.1:" + backend.start();
    api = new ApiClient(base);
  }

  @AfterAll
  static void stop() {
    backend.close();
  }

  private static JsonNode assertError(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals(status, body.get("status").asInt());
    assertTrue(body.get("message").isTextual());
    assertTrue(body.get("errors").isArray());
    return body;
  }

  @Test
  void healthNeedsNoTokenAndSaysTheVersion() throws Exception {
    HttpResponse<String> r = api.get("/api/v1/health", null);
    assertEquals(200, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("up", body.get("status").asText());
    assertTrue(body.has("version"));
  }

  @Test
  void missingUnknownAndInsufficientTokensAreTold401And403() throws Exception {
    HttpResponse<String> none = api.get("/api/v1/lineage?path=/a&host=h", null);
    assertError(none, 401);
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    assertError(api.get("/api/v1/lineage?path=/a&host=h", "nope"), 401);
    assertError(api.get("/api/v1/metrics", Fakes.BOB_TOKEN), 403);
    assertEquals(200, api.get("/api/v1/metrics", Fakes.ADMIN_TOKEN).statusCode());
    assertError(api.get("/api/v1/users", Fakes.BOB_TOKEN), 403);
  }

  @Test
  void unknownRoutesAndNodesAre404InTheErrorShape() throws Exception {
    assertError(api.get("/api/v1/nothing-here", Fakes.BOB_TOKEN), 404);
    assertError(api.get("/api/v1/lineage?path=/nope&host=worker01", Fakes.BOB_TOKEN), 404);
    assertError(
        api.get("/api/v1/processes/" + ApiClient.q("p:worker01:1:1"), Fakes.BOB_TOKEN), 404);
  }

  @Test
  void everyBadParameterIsListedInOne400() throws Exception {
    JsonNode body =
        assertError(
            api.get(
                "/api/v1/lineage?path=relative&host=bad%20host&direction=sideways&depth=abc"
                    + "&limit=-1&format=xml",
                Fakes.BOB_TOKEN),
            400);
    Set<String> fields = new HashSet<>();
    body.get("errors").forEach(e -> fields.add(e.get("field").asText()));
    assertEquals(Set.of("path", "host", "direction", "depth", "limit", "format"), fields);
  }

  @Test
  void lineageAnswersNodesAndEdgesAndProvJson() throws Exception {
    HttpResponse<String> r =
        api.get("/api/v1/lineage?path=/home/bob/out.csv&host=worker01&depth=3", Fakes.BOB_TOKEN);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode g = JSON.readTree(r.body());
    assertEquals(3, g.get("nodes").size());
    JsonNode proc = g.get("nodes").get(1);
    assertEquals("process", proc.get("type").asText());
    for (String f :
        new String[] {"host", "pid", "cmdline", "cwd", "user", "start", "end", "exitCode"}) {
      assertTrue(proc.has(f), f);
    }
    assertEquals("2026-11-20T09:14:03.512Z", proc.get("start").asText());
    JsonNode file = g.get("nodes").get(0);
    for (String f : new String[] {"path", "host", "version"}) {
      assertTrue(file.has(f), f);
    }
    JsonNode edge = g.get("edges").get(0);
    for (String f : new String[] {"from", "to", "type"}) {
      assertTrue(edge.has(f), f);
    }

    JsonNode prov =
        JSON.readTree(
            api.get(
                    "/api/v1/lineage?path=/home/bob/out.csv&host=worker01&format=prov",
                    Fakes.BOB_TOKEN)
                .body());
    assertEquals(2, prov.get("entity").size());
    assertEquals(1, prov.get("activity").size());
    assertTrue(prov.get("used").elements().next().has("prov:activity"));
    assertTrue(prov.get("wasGeneratedBy").elements().next().has("prov:entity"));
  }

  @Test
  void hostileInputIsDataNeverSyntaxAndNever5xx() throws Exception {
    String[] hostile = {
      "/home/bob/x' OR '1'='1",
      "/home/bob/x\"; DROP TABLE processes; --",
      "/a/../../etc/passwd",
      "/%00",
      "/" + "a".repeat(5000)
    };
    for (String h : hostile) {
      HttpResponse<String> r =
          api.get("/api/v1/lineage?host=worker01&path=" + ApiClient.q(h), Fakes.BOB_TOKEN);
      assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, h + " gave " + r.statusCode());
    }
    assertTrue(fakes.seen.contains("/home/bob/x' OR '1'='1"));
    assertError(
        api.get("/api/v1/lineage?host=worker01&path=/a&depth=99999999999", Fakes.BOB_TOKEN), 400);
    assertError(
        api.get("/api/v1/lineage?nodeId=" + ApiClient.q("p:';--:1:2"), Fakes.BOB_TOKEN), 400);
    assertError(api.get("/api/v1/files/" + ApiClient.q("x:y"), Fakes.BOB_TOKEN), 400);
    assertError(
        api.get("/api/v1/runs/compare?ids=" + ApiClient.q("p:h:1:1"), Fakes.BOB_TOKEN), 400);
    assertEquals(
        200,
        api.get("/api/v1/processes?q=" + ApiClient.q("%_' OR 1=1 --"), Fakes.BOB_TOKEN)
            .statusCode());
    assertTrue(fakes.seen.contains("%_' OR 1=1 --"));
  }

  @Test
  void malformedJsonIs400() throws Exception {
    assertError(api.post("/api/v1/login", "{\"name\": \"bob\", "), 400);
    assertError(api.post("/api/v1/login", "[1,2]"), 400);
    assertError(api.post("/api/v1/login", ""), 400);
    assertError(api.post("/api/v1/login", "{\"name\": 3, \"password\": {}}"), 400);
    JsonNode body = assertError(api.post("/api/v1/login", "{\"name\":\"bob\",\"evil\":1}"), 400);
    assertEquals("evil", body.get("errors").get(0).get("field").asText());
  }

  @Test
  void loginGivesATokenAndRepeatedFailuresAreRateLimited() throws Exception {
    HttpResponse<String> ok =
        api.post("/api/v1/login", "{\"name\":\"bob\",\"password\":\"correct horse battery\"}");
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(Fakes.BOB_TOKEN, JSON.readTree(ok.body()).get("token").asText());
    for (int i = 0; i < 3; i++) {
      assertError(api.post("/api/v1/login", "{\"name\":\"carol\",\"password\":\"wrong\"}"), 401);
    }
    HttpResponse<String> limited =
        api.post("/api/v1/login", "{\"name\":\"carol\",\"password\":\"x\"}");
    assertError(limited, 429);
    assertTrue(limited.headers().firstValue("Retry-After").isPresent());
  }

  @Test
  void corsAllowsOnlyTheGuiOrigin() throws Exception {
    HttpResponse<String> gui =
        api.get("/api/v1/health", null, Map.of("Origin", "http://localhost:3000"));
    assertEquals(
        "http://localhost:3000",
        gui.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    HttpResponse<String> evil =
        api.get("/api/v1/health", null, Map.of("Origin", "http://evil.example"));
    assertNull(evil.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
  }

  @Test
  void corsAllowsTheServersOwnOriginWhateverItsName() throws Exception {
    // The GUI opened as http://<this host>:<port> calls the API on the same origin.
    HttpResponse<String> same = api.get("/api/v1/health", null, Map.of("Origin", base));
    assertEquals(200, same.statusCode());
    assertEquals(base, same.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
  }

  @Test
  void corsPreflightIsAnsweredForAllowedOriginsOnly() throws Exception {
    HttpResponse<String> ok =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/processes"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(204, ok.statusCode(), ok.body());
    assertEquals(
        "http://localhost:3000", ok.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    assertTrue(
        ok.headers()
            .firstValue("Access-Control-Allow-Headers")
            .orElse("")
            .contains("Authorization"));
    HttpResponse<String> evil =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/processes"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertNull(evil.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
  }

  @Test
  void reproduceAsScriptIsText() throws Exception {
    HttpResponse<String> r =
        api.get(
            "/api/v1/reproduce?host=worker01&path=/home/bob/out.csv&format=script",
            Fakes.BOB_TOKEN);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/x-shellscript"));
    assertFalse(r.body().isEmpty());
  }
}
