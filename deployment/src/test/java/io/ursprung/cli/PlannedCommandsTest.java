package io.ursprung.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A subcommand that is not built yet says so and fails, instead of pretending to work. */
class PlannedCommandsTest {

  @Test
  void plannedSubcommandSaysSoAndExitsNonZero() {
    List<String> planned =
        UrsprungCommand.commandLine().getSubcommands().entrySet().stream()
            .filter(e -> e.getValue().getCommand() instanceof NotYetAvailable)
            .map(java.util.Map.Entry::getKey)
            .toList();
    for (String name : planned) {
      UrsprungCommandTest.Result r = UrsprungCommandTest.run(name);
      assertEquals(NotYetAvailable.EXIT_NOT_AVAILABLE, r.status(), name);
      assertTrue(r.err().contains("not available in this version yet"), r.err());
    }
  }
}
