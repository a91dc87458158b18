package io.ursprung.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code ursprung} command. */
@Command(
    name = "ursprung",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Provenance collection for ML and data-science pipelines on Linux clusters.",
      "Captures what ran, what it read and wrote, from the OS and the file system."
    },
    subcommands = {
      io.ursprung.plugin.PluginCommand.class,
      io.ursprung.provd.ProvdCommand.class,
      io.ursprung.consumer.ConsumerCommand.class,
      io.ursprung.consumer.RebuildCommand.class,
      io.ursprung.backend.BackendCommand.class,
      UpCommand.class,
      ProvCommand.class,
      DemoCommand.class,
      RunCommand.class,
      io.ursprung.provd.job.JobCommand.class
    })
public final class UrsprungCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    // Without a subcommand there is nothing to start: show what there is.
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A configured command line, for the launcher and for tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new UrsprungCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setUsageHelpAutoWidth(true);
  }
}
