package io.ursprung.cli;

import io.ursprung.events.UrsprungVersion;
import picocli.CommandLine.IVersionProvider;

/** Supplies {@code --version} for every subcommand. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "ursprung " + UrsprungVersion.get(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
