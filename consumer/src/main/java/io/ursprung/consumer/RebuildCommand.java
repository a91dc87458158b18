package io.ursprung.consumer;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigException;
import io.ursprung.db.Database;
import io.ursprung.db.graph.GraphStore;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ursprung rebuild}: the graph made again from the raw event archive ({@link
 * ArchiveReplay}). Exit status: 0 when every archived event was replayed, 3 when some could not be
 * read (they are listed; the rest is replayed), 1 when the store cannot be used or a consumer is
 * still writing (with {@code --clear}), 2 for a bad command line or configuration.
 */
@Command(
    name = "rebuild",
    mixinStandardHelpOptions = true,
    versionProvider = ConsumerVersionProvider.class,
    description = {
      "Makes the provenance graph again from the raw event archive (event_archive).",
      "Without --clear it repairs: missing rows are made again, present ones stay, and consumers"
          + " may keep running. With --clear the derived tables are emptied first (stop the"
          + " consumers)."
    },
    footerHeading =
        "%nConfiguration keys (the consumer's; db.*, batch.size, skew.ms and"
            + " scale.rename.timeout.ms are used):%n",
    footer = "${sys:ursprung.consumer.config-help}")
public final class RebuildCommand implements Callable<Integer> {
  /** Exit status when some archived events could not be read. */
  public static final int EXIT_UNREADABLE = 3;

  /** A consumer that reported within this many minutes counts as running. */
  private static final int RUNNING_MINUTES = 2;

  static {
    System.setProperty("ursprung.consumer.config-help", ConsumerSettings.DEFINITION.toHelpText());
  }

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "Replay only this host's (or Spectrum Scale cluster's) events (repeatable). Not with"
              + " --clear.")
  List<String> hosts = new ArrayList<>();

  @Option(
      names = "--clear",
      description =
          "Empty the tables derived from the archive first (processes, files, names, versions,"
              + " edges, sockets, job events, Scale rename halves). Refused when CamFlow or"
              + " imported PROV-JSON rows are in the graph (they are not in the archive).")
  boolean clear;

  @Option(
      names = "--force",
      description =
          "With --clear: go ahead even though a consumer reported within 2 minutes or is"
              + " connected to the store.")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (clear && !hosts.isEmpty()) {
      err.println(
          "ursprung rebuild: --clear empties the derived tables of every host; it cannot be"
              + " combined with --host (repair one host without --clear).");
      return ConsumerCommand.EXIT_CONFIG;
    }
    ConsumerSettings settings;
    try {
      Config c =
          ConsumerSettings.DEFINITION.load(options.config, System.getenv(), options.overrides);
      settings = ConsumerSettings.from(Source.AUDITD, c);
    } catch (ConfigException e) {
      err.println("ursprung rebuild: " + e.getMessage());
      return ConsumerCommand.EXIT_CONFIG;
    }
    try (Database db =
        Database.open(
            settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword(), "rebuild", 3)) {
      db.migrate();
      if (clear && !force) {
        List<String> running = runningConsumers(db);
        if (!running.isEmpty()) {
          err.println(
              "ursprung rebuild: consumers reported within the last "
                  + RUNNING_MINUTES
                  + " minutes or are connected, and would write while the tables are emptied: "
                  + String.join(", ", running)
                  + ". Stop them first, or repair without --clear, or add --force.");
          return ConsumerCommand.EXIT_FATAL;
        }
      }
      long t0 = System.nanoTime();
      ArchiveReplay.Result r =
          new ArchiveReplay(
                  db.dataSource(),
                  new GraphStore(db.dataSource(), settings.skew()),
                  settings.renameTimeout(),
                  settings.batchSize())
              .run(hosts, clear);
      double seconds = (System.nanoTime() - t0) / 1e9;
      out.printf(
          "rebuild: %d archived events replayed in %d transactions, %.1f s%s%n",
          r.events(), r.batches(), seconds, clear ? " (derived tables emptied first)" : "");
      r.byHost().forEach((h, n) -> out.printf("  %s: %d events%n", h, n));
      if (!r.unreadable().isEmpty()) {
        err.printf(
            "ursprung rebuild: %d archived events could not be read and were skipped (they stay"
                + " in the archive):%n",
            r.unreadable().size());
        r.unreadable().forEach(u -> err.println("  " + u));
        return EXIT_UNREADABLE;
      }
      return 0;
    } catch (SQLException | RuntimeException e) {
      err.println(
          "ursprung rebuild: "
              + e.getMessage()
              + (Failures.classify(e) == Failures.Kind.FATAL ? " " + Failures.advice(e) : ""));
      return ConsumerCommand.EXIT_FATAL;
    }
  }

  /**
   * Consumer instances whose status row says running and is recent, and the store's connections
   * that name themselves a consumer's (Database.open sets the application name): a consumer with
   * status.interval.ms=0 never reports, but it is connected while it runs.
   */
  private static List<String> runningConsumers(Database db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT instance_id FROM consumer_status WHERE running"
                  + " AND updated > now() - make_interval(mins => ?) ORDER BY 1")) {
        ps.setInt(1, RUNNING_MINUTES);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT application_name, count(*) FROM pg_stat_activity"
                  + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                  + " AND application_name LIKE ?"
                  + " GROUP BY 1 ORDER BY 1")) {
        ps.setString(1, Database.APPLICATION_PREFIX + "consumer-%");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1) + " (" + rs.getLong(2) + " connections)");
          }
        }
      }
    }
    return out;
  }
}
