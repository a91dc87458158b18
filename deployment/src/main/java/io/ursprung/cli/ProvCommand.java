package io.ursprung.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.config.Config;
import io.ursprung.config.ConfigDef;
import io.ursprung.config.ConfigException;
import io.ursprung.config.Validators;
import io.ursprung.db.Database;
import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Viewer;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.lineage.Direction;
import io.ursprung.db.lineage.JdbcLineageService;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.lineage.NodeId;
import io.ursprung.db.prov.InvalidProvException;
import io.ursprung.db.prov.ProvDocuments;
import io.ursprung.db.prov.ProvExport;
import io.ursprung.db.prov.ProvStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ursprung prov}: W3C PROV-JSON out of and into the store (docs/prov.md). Exit status: 0 on
 * success, 1 when the answer is empty or the store fails, 2 for a bad command line, configuration
 * or document.
 */
@Command(
    name = "prov",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "W3C PROV-JSON export of lineage and import of PROV-JSON documents.",
    subcommands = {ProvCommand.Export.class, ProvCommand.Import.class})
public final class ProvCommand implements Runnable {

  static final String DB_URL = "db.url";
  static final String DB_USER = "db.user";
  static final String DB_PASSWORD = "db.password";

  /** The store keys, the same names as for the consumer and the backend. */
  static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              DB_URL,
              ConfigDef.Type.STRING,
              "jdbc:postgresql://127.0.0.1:5432/ursprung",
              v ->
                  v.toString().startsWith("jdbc:postgresql:")
                      ? null
                      : "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)",
              "The provenance store.")
          .define(
              DB_USER, ConfigDef.Type.STRING, "ursprung", Validators.nonBlank(), "Database user.")
          .defineSecret(DB_PASSWORD, "", "Database password; empty for trust/peer auth.")
          .lenient();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options shared by both subcommands (a picocli mixin): where the store is. */
  static class StoreOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "A properties file.")
    Path config;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "Overrides one configuration key (db.url, db.user, db.password).")
    Map<String, String> overrides = new LinkedHashMap<>();

    Database open() {
      Config c = DEFINITION.load(config, System.getenv(), overrides);
      String pw = c.getString(DB_PASSWORD);
      Database db =
          Database.open(
              c.getString(DB_URL), c.getString(DB_USER), pw.isEmpty() ? null : pw, "prov", 2);
      db.migrate();
      return db;
    }
  }

  /** {@code ursprung prov export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Writes the lineage of a file or node, or an imported document, as W3C PROV-JSON.",
        "Records imported before (ursprung prov import) are given back as they were imported."
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Start start;

    static final class Start {
      @Option(names = "--path", paramLabel = "PATH", description = "A file (with --host).")
      String path;

      @Option(names = "--node", paramLabel = "ID", description = "A node id (p:... or f:...).")
      String node;

      @Option(
          names = "--document",
          paramLabel = "DOC_ID",
          description = "An imported document, exactly as imported.")
      String document;
    }

    @Option(names = "--host", paramLabel = "HOST", description = "The file's host (with --path).")
    String host;

    @Option(
        names = "--direction",
        defaultValue = "UPSTREAM",
        description = "upstream or downstream (default ${DEFAULT-VALUE}).")
    Direction direction;

    @Option(names = "--depth", defaultValue = "10", description = "Edges at most.")
    int depth;

    @Option(names = "--limit", defaultValue = "10000", description = "Nodes at most.")
    int limit;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write here instead of standard output.")
    Path output;

    @picocli.CommandLine.Mixin StoreOptions store;

    @Override
    public Integer call() {
      if (start.path != null && host == null) {
        spec.commandLine().getErr().println("ursprung prov export: --path needs --host");
        return 2;
      }
      try (Database db = store.open()) {
        ProvStore prov =
            new ProvStore(db.dataSource(), new GraphStore(db.dataSource(), Duration.ZERO));
        String text;
        if (start.document != null) {
          Optional<String> doc = prov.document(start.document);
          if (doc.isEmpty()) {
            spec.commandLine()
                .getErr()
                .println("ursprung prov export: no document " + start.document);
            return 1;
          }
          text = doc.get();
        } else {
          // The command runs with the database's credentials: it sees everything, as an admin.
          Viewer admin = new Viewer(0, "ursprung-prov", Role.ADMIN, Set.of(), Set.of());
          JdbcLineageService lineage = new JdbcLineageService(db.dataSource());
          Optional<LineageGraph> g =
              start.path != null
                  ? lineage.fromFile(admin, host, start.path, null, direction, depth, limit)
                  : lineage.fromNode(admin, NodeId.parse(start.node), direction, depth, limit);
          if (g.isEmpty()) {
            spec.commandLine().getErr().println("ursprung prov export: no such file or node");
            return 1;
          }
          ObjectNode doc = ProvExport.of(g.get(), prov.overlay());
          text = ProvDocuments.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
        }
        if (output != null) {
          Files.writeString(output, text, StandardCharsets.UTF_8);
        } else {
          spec.commandLine().getOut().print(text);
          spec.commandLine().getOut().flush();
        }
        return 0;
      } catch (ConfigException | IllegalArgumentException e) {
        spec.commandLine().getErr().println("ursprung prov export: " + e.getMessage());
        return 2;
      } catch (SQLException | IOException | RuntimeException e) {
        spec.commandLine().getErr().println("ursprung prov export: " + e.getMessage());
        return 1;
      }
    }
  }

  /** {@code ursprung prov import}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Checks a W3C PROV-JSON document and imports it into the store: processes, file",
        "versions and their edges into the graph, every record verbatim for export."
      })
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The PROV-JSON document.")
    Path file;

    @picocli.CommandLine.Mixin StoreOptions store;

    @Override
    public Integer call() {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        spec.commandLine()
            .getErr()
            .println("ursprung prov import: cannot read " + file + ": " + e.getMessage());
        return 2;
      }
      try {
        // Checked before the store is opened: a bad document needs no database to be reported.
        ProvDocuments.parse(text);
      } catch (InvalidProvException e) {
        spec.commandLine()
            .getErr()
            .println("ursprung prov import: " + file + ": " + e.getMessage());
        return 2;
      }
      try (Database db = store.open()) {
        ProvStore prov =
            new ProvStore(db.dataSource(), new GraphStore(db.dataSource(), Duration.ZERO));
        ProvStore.ImportResult r = prov.importDocument(file.getFileName().toString(), text);
        spec.commandLine()
            .getOut()
            .printf(
                "%s %s: %d records, %d processes, %d file versions, %d edges%n",
                r.alreadyImported() ? "already imported" : "imported",
                r.docId(),
                r.records(),
                r.processes(),
                r.versions(),
                r.edges());
        spec.commandLine().getOut().flush();
        return 0;
      } catch (InvalidProvException e) {
        spec.commandLine()
            .getErr()
            .println("ursprung prov import: " + file + ": " + e.getMessage());
        return 2;
      } catch (ConfigException e) {
        spec.commandLine().getErr().println("ursprung prov import: " + e.getMessage());
        return 2;
      } catch (SQLException | RuntimeException e) {
        spec.commandLine().getErr().println("ursprung prov import: " + e.getMessage());
        return 1;
      }
    }
  }
}
