package io.ursprung.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Subcommands whose services later work fills in; each one exits non-zero for now. */
final class PlannedCommands {
  private PlannedCommands() {}

  @Command(
      name = "job",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Write job audit records (GRAM-style lifecycle) and import accounting.")
  static final class Job extends NotYetAvailable {
    @Parameters(paramLabel = "ARGS", description = "stage and values")
    java.util.List<String> args;

    @Override
    String plan() {
      return "Job audit and accounting are being built.";
    }
  }
}
