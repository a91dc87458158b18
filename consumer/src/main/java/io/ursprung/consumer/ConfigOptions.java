package io.ursprung.consumer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The configuration options of the master-side commands that read the consumer's keys ({@code
 * consumer}, {@code rebuild}), so that both take the same file and overrides the same way.
 */
final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "A properties file.")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Overrides one configuration key (repeatable).")
  Map<String, String> overrides = new LinkedHashMap<>();
}
