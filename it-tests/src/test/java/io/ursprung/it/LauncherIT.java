package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code bin/ursprung} as a user runs it: a real process from the built distribution. */
class LauncherIT {

  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  record Run(int status, String out, String err) {}

  static Run ursprung(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(REPO.resolve("bin/ursprung").toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("ursprung-out", ".txt");
    Path err = Files.createTempFile("ursprung-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/ursprung did not finish");
      return new Run(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void helpListsEverySubcommand() throws Exception {
    Run r = ursprung("--help");
    assertEquals(0, r.status(), r.err());
    for (String name :
        List.of("plugin", "provd", "consumer", "backend", "up", "demo", "run", "job")) {
      assertTrue(r.out().contains("  " + name + " "), "missing " + name + " in\n" + r.out());
    }
  }

  @Test
  void versionIsPrinted() throws Exception {
    Run r = ursprung("--version");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().matches("(?s)ursprung \\d+\\.\\d+\\.\\d+.*"), r.out());
  }
}
