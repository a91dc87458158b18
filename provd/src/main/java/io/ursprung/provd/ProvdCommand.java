package io.ursprung.provd;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigException;
import io.ursprung.provd.nativeaccess.LinuxNative;
import io.ursprung.provd.nativeaccess.NativeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ursprung provd}: runs the worker daemon until SIGTERM or SIGINT, then detaches every
 * tracee and exits 0. Exit 2 for a bad configuration (every problem listed), 1 when a component
 * cannot start.
 */
@Command(
    name = "provd",
    mixinStandardHelpOptions = true,
    versionProvider = ProvdVersionProvider.class,
    description = {
      "Worker daemon: stdout capture, fanotify file events with PIDs, job record upload.",
      "Runs as root (ptrace, fanotify, reading the job spool). Stop it with SIGTERM."
    })
public final class ProvdCommand implements Callable<Integer> {
  static final int EXIT_CONFIG = 2;
  static final int EXIT_START = 1;

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Properties file with provd's keys (see --config-keys).")
  Path configFile;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "KEY=VALUE",
      description = "Set a configuration key; wins over the file and the environment.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--config-keys", description = "Print every configuration key and exit.")
  boolean configKeys;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (configKeys) {
      out.printf(
          "Configuration keys (file, environment URSPRUNG_*, or --set):%n%n"
              + ProvdConfig.DEF.toHelpText());
      out.flush();
      return 0;
    }
    Config cfg;
    try {
      cfg = ProvdConfig.DEF.load(configFile, System.getenv(), overrides);
    } catch (ConfigException e) {
      err.println("provd: " + e.getMessage());
      err.flush();
      return EXIT_CONFIG;
    }
    Provd provd;
    try {
      provd = Provd.start(cfg, LinuxNative.load());
    } catch (IOException | NativeException | RuntimeException e) {
      err.println("provd: cannot start: " + e.getMessage());
      err.flush();
      return EXIT_START;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM and SIGINT run shutdown hooks: this is where tracees are detached.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  provd.close();
                  stopped.countDown();
                },
                "provd-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      provd.close();
    }
    return 0;
  }
}
