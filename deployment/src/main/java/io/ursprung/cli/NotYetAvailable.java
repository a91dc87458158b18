package io.ursprung.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of subcommands whose service is not built yet. They exist so that {@code --help} shows the
 * whole command surface, and they say plainly that they do nothing yet instead of pretending.
 */
abstract class NotYetAvailable implements Callable<Integer> {

  /** Exit status of a subcommand that is not available in this version. */
  static final int EXIT_NOT_AVAILABLE = 3;

  @Spec CommandSpec spec;

  /** One sentence on what the subcommand will do and where it is planned. */
  abstract String plan();

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .println(
            "ursprung "
                + spec.name()
                + ": not available in this version yet. "
                + plan()
                + " Nothing was started.");
    return EXIT_NOT_AVAILABLE;
  }
}
