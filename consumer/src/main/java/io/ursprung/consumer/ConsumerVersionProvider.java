package io.ursprung.consumer;

import io.ursprung.events.UrsprungVersion;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version} of {@code ursprung consumer}. The command's own copy, because the shared
 * provider lives in the deployment module, which depends on this one.
 */
public final class ConsumerVersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "ursprung " + UrsprungVersion.get(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
