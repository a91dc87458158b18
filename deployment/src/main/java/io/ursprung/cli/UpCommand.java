package io.ursprung.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ursprung up}: the whole master in this process, until SIGTERM or Ctrl-C. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "The whole master in one process: Kafka, PostgreSQL (embedded unless --db-url is given),",
      "the auditd and Spectrum Scale consumers, and the API with the GUI on one port.",
      "Data persist in the data directory across restarts."
    })
public final class UpCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin MasterOptions options = new MasterOptions();

  @Override
  public Integer call() throws Exception {
    Master master = options.startOrExplain(spec);
    if (master == null) {
      return 1;
    }
    options.printWelcome(spec, master);
    runUntilStopped(master);
    return 0;
  }

  /**
   * Keeps the master running until SIGTERM or Ctrl-C; the JVM's shutdown hook then stops it in
   * order (consumers finish their batch, the broker and the database shut down cleanly).
   */
  static void runUntilStopped(Master master) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  master.close();
                  stopped.countDown();
                },
                "ursprung-up-stop"));
    stopped.await();
  }

  /** Options shared by up and demo. */
  static final class MasterOptions {
    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description =
            "Where Kafka and PostgreSQL keep their data (default: /var/lib/ursprung as root,"
                + " else ~/.local/share/ursprung).")
    Path dataDir;

    @Option(
        names = "--port",
        defaultValue = "3000",
        description = "Port of the GUI and the API (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--kafka-port",
        defaultValue = "9092",
        description = "Kafka's client port (default: ${DEFAULT-VALUE}); 0 for any free port.")
    int kafkaPort;

    @Option(
        names = "--kafka-bind",
        defaultValue = "127.0.0.1",
        description =
            "Address Kafka listens on (default: ${DEFAULT-VALUE}); 0.0.0.0 lets workers connect.")
    String kafkaBind;

    @Option(
        names = "--postgres-port",
        defaultValue = "5433",
        description = "Port of the embedded PostgreSQL on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(
        names = "--db-url",
        paramLabel = "JDBC-URL",
        description = "Use this PostgreSQL instead of the embedded one (also URSPRUNG_DB_URL).")
    String jdbcUrl = System.getenv("URSPRUNG_DB_URL");

    @Option(names = "--db-user", description = "User for --db-url (also URSPRUNG_DB_USER).")
    String jdbcUser = envOr("URSPRUNG_DB_USER", "postgres");

    Master start() throws java.io.IOException, InterruptedException {
      return Master.start(
          new Master.Options(
              dataDir == null ? Master.defaultDataDir() : dataDir,
              port,
              kafkaPort,
              kafkaBind,
              postgresPort,
              jdbcUrl,
              jdbcUser,
              System.getenv("URSPRUNG_DB_PASSWORD")));
    }

    /** Starts the master, or prints why it could not start and returns null. */
    Master startOrExplain(CommandSpec spec) throws InterruptedException {
      try {
        return start();
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        spec.commandLine()
            .getErr()
            .println("ursprung " + spec.name() + ": could not start the master: " + e.getMessage());
        return null;
      }
    }

    void printWelcome(CommandSpec spec, Master master) {
      var out = spec.commandLine().getOut();
      Master.Login login = master.login();
      out.println();
      out.println("Ursprung is up.");
      out.println("  GUI and API:  http://localhost:" + port + "/");
      out.println("  Sign in as:   " + login.user() + " / " + login.password());
      out.println("  API token:    " + login.adminToken() + "  (Authorization: Bearer ...)");
      out.println("  Kafka:        " + master.kafkaBootstrap() + "  (topics auditd, gpfs)");
      out.println("  PostgreSQL:   " + master.jdbcUrl());
      out.println("Stop with Ctrl-C.");
      out.flush();
    }

    private static String envOr(String name, String fallback) {
      String v = System.getenv(name);
      return v == null || v.isBlank() ? fallback : v;
    }
  }
}
