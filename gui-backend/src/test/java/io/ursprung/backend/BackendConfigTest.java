package io.ursprung.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.config.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Configuration problems are all found when the configuration is read, before anything starts. */
class BackendConfigTest {

  private static boolean mentions(List<String> problems, String key) {
    return problems.stream().anyMatch(p -> p.startsWith(key + " "));
  }

  @Test
  void aShortAdminTokenIsListedWithTheOtherProblems() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                BackendCommand.load(
                    null,
                    null,
                    Map.of("URSPRUNG_ADMIN_TOKEN", "short", "URSPRUNG_HTTP_PORT", "99999")));
    assertTrue(mentions(e.problems(), BackendConfig.ADMIN_TOKEN), e.getMessage());
    assertTrue(mentions(e.problems(), BackendConfig.PORT), e.getMessage());
    assertFalse(e.getMessage().contains("short"), "the token must never be printed");
  }

  @Test
  void aShortAdminTokenAloneIsAConfigurationProblem() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> BackendCommand.load(null, null, Map.of("URSPRUNG_ADMIN_TOKEN", "short")));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).contains("16 characters"), e.getMessage());
  }

  @Test
  void anEmptyOrLongEnoughAdminTokenIsAccepted() {
    assertEquals("", BackendCommand.load(null, null, Map.of()).adminToken());
    assertEquals(
        "0123456789abcdef",
        BackendCommand.load(null, null, Map.of("URSPRUNG_ADMIN_TOKEN", "0123456789abcdef"))
            .adminToken());
  }

  @Test
  void aConfigurationBuiltWithoutTheCommandIsCheckedToo() {
    // The all-in-one master parses the definition itself and calls from().
    assertThrows(
        ConfigException.class,
        () ->
            BackendConfig.from(
                BackendConfig.DEFINITION.parse(
                    Map.of(), Map.of(), Map.of(BackendConfig.ADMIN_TOKEN, "short"))));
  }

  @Test
  void aBindAddressWithAPortOrSpacesIsAConfigurationProblem() {
    for (String bind : new String[] {"0.0.0.0:3100", "local host", "http://localhost"}) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () -> BackendCommand.load(null, null, Map.of("URSPRUNG_HTTP_BIND", bind)),
              bind);
      assertTrue(mentions(e.problems(), BackendConfig.BIND), e.getMessage());
    }
    for (String bind : new String[] {"0.0.0.0", "127.0.0.1", "::", "::1", "localhost", "my-host"}) {
      assertEquals(
          bind, BackendCommand.load(null, null, Map.of("URSPRUNG_HTTP_BIND", bind)).bind(), bind);
    }
  }

  @Test
  void theCommandExitsWith2AndListsEveryProblemBeforeOpeningTheStore(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("backend.properties");
    Files.writeString(
        file,
        "admin.token=short\nhttp.port=99999\n"
            // Unreachable: the command must stop before it tries.
            + "db.url=jdbc:postgresql://127.0.0.1:1/none\n");
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new BackendCommand());
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute("--config", file.toString());
    assertEquals(2, exit, err.toString());
    assertTrue(err.toString().contains(BackendConfig.ADMIN_TOKEN), err.toString());
    assertTrue(err.toString().contains(BackendConfig.PORT), err.toString());
    assertFalse(err.toString().contains("short"), err.toString());
  }
}
