package io.ursprung.provd;

import io.ursprung.events.UrsprungVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code ursprung provd --version}. */
public final class ProvdVersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "ursprung provd " + UrsprungVersion.get(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
