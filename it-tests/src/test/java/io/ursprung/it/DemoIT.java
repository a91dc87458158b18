package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/ursprung demo} as a newcomer starts it: a separate process with a fresh data
 * directory. Once it prints the login, the bundled ML pipeline is in the graph: the model's
 * upstream lineage reaches the training script, its data and the raw data it was prepared from.
 */
class DemoIT {

  private static final Pattern LOGIN = Pattern.compile("Sign in as:\\s+(\\S+) / (\\S+)");
  private static final String HOST = "ml-workstation";
  private static final String PROJECT = "/home/ursdemo/iris-project";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Path dataDir;
  private Process demo;

  @AfterEach
  void stop() throws Exception {
    if (demo != null && demo.isAlive()) {
      demo.destroy(); // SIGTERM: the master stops its parts in order
      if (!demo.waitFor(90, TimeUnit.SECONDS)) {
        demo.destroyForcibly();
      }
    }
    RunIT.delete(dataDir);
  }

  @Test
  void demoShowsTheModelsLineageOnceTheLoginIsPrinted() throws Exception {
    dataDir = Files.createTempDirectory("ursprung-demo-it-");
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    int[] ports = RunIT.freePorts(3);
    int port = ports[0];
    Path log = dataDir.resolve("demo.log");
    demo =
        new ProcessBuilder(
                LauncherIT.REPO.resolve("bin/ursprung").toString(),
                "demo",
                "--data-dir",
                dataDir.toString(),
                "--port",
                Integer.toString(port),
                "--kafka-port",
                Integer.toString(ports[1]),
                "--postgres-port",
                Integer.toString(ports[2]))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String[] login = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (login == null && System.nanoTime() < deadline) {
      assertTrue(demo.isAlive(), "ursprung demo exited:\n" + Files.readString(log));
      String sofar = Files.readString(log, StandardCharsets.UTF_8);
      Matcher m = LOGIN.matcher(sofar);
      // The master's welcome comes first; the demo is ready once the replayed graph is stored
      // and it prints where to click.
      if (m.find() && sofar.contains("#/graph?node=")) {
        login = new String[] {m.group(1), m.group(2)};
      } else {
        Thread.sleep(500);
      }
    }
    assertTrue(login != null, "no login and link printed within 240 s:\n" + Files.readString(log));
    String printed = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(printed.contains("#/graph?node="), "where to click:\n" + printed);
    assertTrue(Files.exists(dataDir.resolve("demo-replayed")), "the replay is remembered");

    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + login[0] + "\",\"password\":\"" + login[1] + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    String token = new ObjectMapper().readTree(r.body()).path("token").asText();

    String model = PROJECT + "/models/model.json";
    HttpResponse<String> lineage =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/api/v1/lineage?path="
                            + URLEncoder.encode(model, StandardCharsets.UTF_8)
                            + "&host="
                            + HOST
                            + "&direction=upstream&depth=20&limit=5000"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, lineage.statusCode(), lineage.body());
    JsonNode nodes = new ObjectMapper().readTree(lineage.body()).path("nodes");
    Set<String> paths = new HashSet<>();
    Set<String> commands = new HashSet<>();
    for (JsonNode n : nodes) {
      if (n.hasNonNull("path")) {
        paths.add(n.get("path").asText());
      }
      if (n.hasNonNull("cmdline")) {
        commands.add(n.get("cmdline").asText());
      }
    }
    // Through the rename, train.py and its input, the split, the pipe, back to the raw data.
    for (String p :
        new String[] {
          model,
          PROJECT + "/models/model.json.tmp",
          PROJECT + "/src/train.py",
          PROJECT + "/data/train.csv",
          PROJECT + "/data/clean.csv",
          PROJECT + "/data/raw/iris.csv"
        }) {
      assertTrue(paths.contains(p), p + " upstream of the model; got " + paths);
    }
    assertTrue(
        commands.stream().anyMatch(c -> c.startsWith("python3 src/train.py")),
        "the training step; got " + commands);
    assertTrue(
        commands.contains("mv models/model.json.tmp models/model.json"),
        "the rename; got " + commands);
    assertTrue(
        nodes.findValues("user").stream().anyMatch(u -> u.asText().equals("ursdemo")),
        "the recorded user's name");
  }
}
