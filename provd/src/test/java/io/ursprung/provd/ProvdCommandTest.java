package io.ursprung.provd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ProvdCommandTest {
  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new ProvdCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void versionAndHelp() {
    Result v = run("--version");
    assertEquals(0, v.status());
    assertTrue(v.out().startsWith("ursprung provd "), v.out());
    Result h = run("--help");
    assertEquals(0, h.status());
    assertTrue(h.out().contains("--config"), h.out());
  }

  @Test
  void configKeysAreListedFromTheirDeclaration() {
    Result r = run("--config-keys");
    assertEquals(0, r.status());
    for (var k : ProvdConfig.DEF.keys()) {
      assertTrue(r.out().contains(k.name()), k.name());
      assertTrue(r.out().contains(k.envName()), k.envName());
    }
  }

  @Test
  void aBadConfigurationListsEveryProblemAndExits2() {
    Result r =
        run(
            "--set", "provd.control.port=99999",
            "--set", "provd.control.secret.file=/nonexistent/provd.secret",
            "--set", "provd.fanotify.events=open,teleport");
    assertEquals(ProvdCommand.EXIT_CONFIG, r.status());
    assertTrue(r.err().contains("3 configuration problems"), r.err());
    assertTrue(r.err().contains("provd.control.port"), r.err());
    assertTrue(r.err().contains("does not exist"), r.err());
    assertTrue(r.err().contains("teleport"), r.err());
  }
}
