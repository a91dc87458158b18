package io.ursprung.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.UrsprungVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class UrsprungCommandTest {

  static final List<String> SUBCOMMANDS =
      List.of("plugin", "provd", "consumer", "backend", "up", "demo", "run", "job");

  record Result(int status, String out, String err) {}

  static Result run(String... args) {
    CommandLine cl = UrsprungCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(args);
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void helpListsEverySubcommand() {
    Result r = run("--help");
    assertEquals(0, r.status());
    for (String name : SUBCOMMANDS) {
      assertTrue(r.out().contains("  " + name + " "), "help lacks " + name + ":\n" + r.out());
    }
  }

  @Test
  void versionPrintsTheBuildVersion() {
    Result r = run("--version");
    assertEquals(0, r.status());
    assertTrue(r.out().startsWith("ursprung " + UrsprungVersion.get()), r.out());
    assertTrue(!UrsprungVersion.get().contains("${"), "version was not filtered");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plugin", "provd", "consumer", "backend", "up", "demo", "run", "job"})
  void helpAndVersionWorkOnEverySubcommand(String name) {
    Result help = run(name, "--help");
    assertEquals(0, help.status(), help.err());
    assertTrue(help.out().contains("Usage: ursprung " + name), help.out());
    Result version = run(name, "--version");
    assertEquals(0, version.status());
    assertTrue(version.out().startsWith("ursprung "), version.out());
  }

  @Test
  void unknownSubcommandIsAUsageError() {
    Result r = run("frobnicate");
    assertNotEquals(0, r.status());
    assertTrue(r.err().contains("frobnicate"), r.err());
  }
}
