package io.ursprung.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Subcommands whose services later work fills in; each one exits non-zero for now. */
final class PlannedCommands {
  private PlannedCommands() {}

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "'up' plus a bundled real capture replayed through the pipeline.")
  static final class Demo extends NotYetAvailable {
    @Override
    String plan() {
      return "The demo needs the all-in-one master, which is being built.";
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Capture the provenance of one command on this machine (root, Linux audit).")
  static final class Run extends NotYetAvailable {
    @Parameters(paramLabel = "CMD", description = "the command and its arguments, after --")
    java.util.List<String> command;

    @Override
    String plan() {
      return "Single-command capture is being built.";
    }
  }

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
