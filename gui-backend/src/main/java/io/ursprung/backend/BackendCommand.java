package io.ursprung.backend;

import io.ursprung.config.ConfigException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ursprung backend}: the REST API. */
@Command(
    name = "backend",
    mixinStandardHelpOptions = true,
    versionProvider = BackendVersion.class,
    description = {
      "REST API for lineage, search, reproduce and runs (port 3100), over the provenance store.",
      "Set URSPRUNG_ADMIN_TOKEN to give the built-in admin a bearer token.",
      "Configuration keys: docs/api.md and gui-backend/README.md."
    })
public final class BackendCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "a properties file")
  Path config;

  @Option(names = "--port", paramLabel = "PORT", description = "port to listen on (http.port)")
  Integer port;

  @Override
  public Integer call() throws Exception {
    BackendConfig settings;
    try {
      settings = load(config, port, System.getenv());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return 2;
    }
    try (Backend backend = Backend.open(settings)) {
      Runtime.getRuntime().addShutdownHook(new Thread(backend::close, "backend-shutdown"));
      backend.awaitStop();
    }
    return 0;
  }

  /** Reads the configuration the way the command does. */
  public static BackendConfig load(Path file, Integer port, Map<String, String> env) {
    Map<String, String> overrides = new HashMap<>();
    if (port != null) {
      overrides.put(BackendConfig.PORT, Integer.toString(port));
    }
    return BackendConfig.load(file, env, overrides);
  }
}
