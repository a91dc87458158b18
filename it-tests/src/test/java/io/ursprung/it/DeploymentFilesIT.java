package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ursprung.backend.BackendConfig;
import io.ursprung.config.ConfigDef;
import io.ursprung.consumer.ConsumerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of the Docker deployment without a Docker engine (none runs here): the
 * compose file parses, every file a Dockerfile copies is produced by the build, every command a
 * service runs exists, and every URSPRUNG_* variable a service gets is a key that service declares.
 */
class DeploymentFilesIT {

  static final Path REPO = LauncherIT.REPO;
  static final Path COMPOSE = REPO.resolve("deployment/docker-compose.yml");

  JsonNode compose() throws IOException {
    // SnakeYAML resolves the anchors and merge keys (<<: *x) the compose file uses.
    try (var in = Files.newInputStream(COMPOSE)) {
      Object doc = new org.yaml.snakeyaml.Yaml().load(in);
      return new ObjectMapper().valueToTree(doc);
    }
  }

  @Test
  void composeFileIsValidForDockerCompose() throws Exception {
    List<List<String>> candidates =
        List.of(List.of("docker", "compose"), List.of("docker-compose"));
    for (List<String> tool : candidates) {
      List<String> probe = new ArrayList<>(tool);
      probe.add("version");
      try {
        Process v = new ProcessBuilder(probe).redirectErrorStream(true).start();
        v.getInputStream().readAllBytes();
        if (!v.waitFor(30, TimeUnit.SECONDS) || v.exitValue() != 0) {
          continue; // the docker CLI without its compose plugin, say
        }
      } catch (IOException notInstalled) {
        continue;
      }
      List<String> cmd = new ArrayList<>(tool);
      cmd.addAll(
          List.of(
              "--project-directory",
              REPO.resolve("deployment").toString(),
              "-f",
              COMPOSE.toString(),
              "config",
              "-q"));
      Process p;
      try {
        p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      } catch (IOException notInstalled) {
        continue;
      }
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      if (p.exitValue() == 0) {
        return;
      }
      throw new AssertionError(String.join(" ", cmd) + " rejects the compose file:\n" + out);
    }
    assumeTrue(false, "neither 'docker compose' nor 'docker-compose' is installed here");
  }

  @Test
  void everyFileTheDockerfilesCopyIsBuilt() throws Exception {
    JsonNode services = compose().get("services");
    Set<Path> dockerfiles = new HashSet<>();
    for (Iterator<String> it = services.fieldNames(); it.hasNext(); ) {
      JsonNode build = services.get(it.next()).get("build");
      if (build != null) {
        dockerfiles.add(REPO.resolve(build.get("dockerfile").asText()));
      }
    }
    assertEquals(2, dockerfiles.size(), "the service image and the GUI image");
    for (Path dockerfile : dockerfiles) {
      assertTrue(Files.isRegularFile(dockerfile), "missing " + dockerfile);
      for (String line : Files.readAllLines(dockerfile)) {
        if (line.startsWith("COPY ")) {
          String source = line.split("\\s+")[1];
          Path p = REPO.resolve(source);
          assertTrue(
              Files.exists(p),
              dockerfile.getFileName()
                  + " copies "
                  + source
                  + ", which the build does not produce");
          if (Files.isDirectory(p)) {
            try (var list = Files.list(p)) {
              assertTrue(list.findAny().isPresent(), source + " is empty");
            }
          }
        }
      }
    }
    assertTrue(Files.isRegularFile(REPO.resolve("gui-frontend/target/classes/public/index.html")));
  }

  @Test
  void everyServiceCommandExistsAndEveryVariableIsDeclared() throws Exception {
    JsonNode services = compose().get("services");
    Map<String, ConfigDef> definitions =
        Map.of("consumer", ConsumerSettings.DEFINITION, "backend", BackendConfig.DEFINITION);
    int checked = 0;
    for (Iterator<String> it = services.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      JsonNode service = services.get(name);
      JsonNode command = service.get("command");
      if (command == null || service.get("build") == null || !command.isArray()) {
        continue;
      }
      String sub = command.get(0).asText();
      LauncherIT.Run help = LauncherIT.ursprung(sub, "--help");
      assertEquals(0, help.status(), name + ": ursprung " + sub + " --help failed\n" + help.err());
      ConfigDef def = definitions.get(sub);
      assertTrue(def != null, name + " runs " + sub + ", which this test does not know");
      Set<String> declared = new HashSet<>();
      def.keys().forEach(k -> declared.add(ConfigDef.envName(k.name())));
      for (Iterator<String> vars = service.get("environment").fieldNames(); vars.hasNext(); ) {
        String var = vars.next();
        if (var.startsWith("URSPRUNG_")) {
          assertTrue(
              declared.contains(var),
              name + " sets " + var + ", which " + sub + " does not declare");
          checked++;
        }
      }
    }
    assertTrue(checked >= 10, "too few variables checked: " + checked);
  }
}
