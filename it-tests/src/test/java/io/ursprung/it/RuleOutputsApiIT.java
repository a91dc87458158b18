package io.ursprung.it;

import static io.ursprung.it.ConsumerHarness.await;
import static io.ursprung.it.ConsumerHarness.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.backend.Backend;
import io.ursprung.consumer.rules.RuleEngine;
import io.ursprung.consumer.rules.RuleSettings;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ALERT and TRACK rules produce, as the API serves it: alerts listed, tracked versions listed
 * with their content and a diff, for admins only.
 */
@ExtendWith(PostgresExtension.class)
class RuleOutputsApiIT {
  static final String HOST = "worker1";
  static final String ADMIN_TOKEN = "it-admin-token-rule-outputs-0123";
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void alertsAndTrackedContentAreServedToAdmins(TestDatabase db, @TempDir Path dir)
      throws Exception {
    Path rules = dir.resolve("ml.rules");
    Files.writeString(
        rules,
        "type = file.access && op = close && write = true && path @ \".*\\.py\" \\\n"
            + "  -> TRACK \".*\\.py\" AT "
            + dir.resolve("repo.git")
            + " INTO FILE "
            + dir.resolve("tracked.log")
            + " ; ALERT \"python source changed\"\n");
    Path src = dir.resolve("train.py");
    Files.writeString(src, "epochs = 1\n");
    long inode = ((Number) Files.getAttribute(src, "unix:ino")).longValue();
    String v1;
    String v2;
    try (RuleEngine engine =
        RuleEngine.start(
            RuleSettings.of(rules, Map.of(), dir.resolve("default-repo")),
            db.jdbcUrl(),
            db.user(),
            db.password())) {
      v1 = submit(engine, db, src, inode, "e1");
      Files.writeString(src, "epochs = 5\n");
      v2 = submit(engine, db, src, inode, "e2");
    }

    try (Backend backend = TestBackends.open(db, ADMIN_TOKEN)) {
      String base = "http://127.0.0.1:" + backend.port() + "/api/v1";
      HttpResponse<String> alerts = get(base + "/alerts", ADMIN_TOKEN);
      assertEquals(200, alerts.statusCode(), alerts.body());
      assertEquals(2, occurrences(alerts.body(), "python source changed"), alerts.body());

      String path = URLEncoder.encode(src.toString(), StandardCharsets.UTF_8);
      HttpResponse<String> versions = get(base + "/tracked?path=" + path, ADMIN_TOKEN);
      assertEquals(200, versions.statusCode(), versions.body());
      assertTrue(versions.body().contains(v1) && versions.body().contains(v2), versions.body());

      HttpResponse<String> content =
          get(base + "/tracked/content?host=" + HOST + "&version=" + v1, ADMIN_TOKEN);
      assertEquals(200, content.statusCode());
      assertEquals("epochs = 1\n", content.body());
      HttpResponse<String> diff =
          get(base + "/tracked/diff?host=" + HOST + "&from=" + v1 + "&to=" + v2, ADMIN_TOKEN);
      assertEquals(200, diff.statusCode(), diff.body());
      assertTrue(
          diff.body().contains("-epochs = 1") && diff.body().contains("+epochs = 5"), diff.body());

      assertEquals(
          404,
          get(base + "/tracked/content?host=" + HOST + "&version=nope", ADMIN_TOKEN).statusCode());
      assertEquals(400, get(base + "/tracked?path=relative/x.py", ADMIN_TOKEN).statusCode());

      // A viewer may not read other people's file content or alerts.
      HttpResponse<String> created =
          send(
              HttpRequest.newBuilder(URI.create(base + "/users/eve"))
                  .header("Authorization", "Bearer " + ADMIN_TOKEN)
                  .header("Content-Type", "application/json")
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"password\":\"eve-password-123\",\"role\":\"viewer\",\"uids\":[2000]}")));
      assertEquals(201, created.statusCode(), created.body());
      HttpResponse<String> login =
          send(
              HttpRequest.newBuilder(URI.create(base + "/login"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\"eve\",\"password\":\"eve-password-123\"}")));
      Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(login.body());
      assertTrue(m.find(), login.body());
      assertEquals(403, get(base + "/alerts", m.group(1)).statusCode());
      assertEquals(
          403,
          get(base + "/tracked/content?host=" + HOST + "&version=" + v1, m.group(1)).statusCode());
    }
  }

  private String submit(RuleEngine engine, TestDatabase db, Path p, long inode, String id)
      throws Exception {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("type", "file.access");
    f.put("op", "close");
    f.put("write", true);
    f.put("path", p.toString());
    f.put("pid", 4242L);
    f.put("device", "8:1");
    f.put("inode", inode);
    f.put("id", id);
    f.put("host", HOST);
    f.put("time", Instant.now().toString());
    engine.submit(f, HOST, Instant.now());
    await(
        "rule work finished",
        Duration.ofSeconds(60),
        () -> count(db, "SELECT count(*) FROM rule_work WHERE status = 'pending'") == 0);
    return id;
  }

  private static int occurrences(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
