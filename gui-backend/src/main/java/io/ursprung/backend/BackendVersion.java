package io.ursprung.backend;

import io.ursprung.events.UrsprungVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code --version} of {@code ursprung backend}. */
public final class BackendVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "ursprung backend " + UrsprungVersion.get(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
