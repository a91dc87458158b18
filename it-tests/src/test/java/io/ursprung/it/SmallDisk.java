package io.ursprung.it;

import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A database of the test server whose files live on a small disk of their own: a tmpfs mounted for
 * the test, made a tablespace, and the database created in it. The disk can then be filled up with
 * a ballast file and freed again, which is how a PostgreSQL server meets a full disk without the
 * machine's own disk being filled. WAL stays on the server's own disk, so the server meets the full
 * disk as failing writes ("could not extend file", SQLSTATE 53100) and keeps running.
 *
 * <p>Needs root (mount, chown) and the server on this machine (its data directory readable, to
 * learn the account it runs as); otherwise the test is skipped with the reason. Everything is
 * undone by {@link #close()}: database, tablespace, mount and directory.
 */
final class SmallDisk implements AutoCloseable {
  private final TestDatabase server;
  private final Path mount;
  private final String name;
  private final String url;
  private final List<String> undo = new ArrayList<>();
  private Path ballast;

  private SmallDisk(TestDatabase server, Path mount, String name) {
    this.server = server;
    this.mount = mount;
    this.name = name;
    this.url = PostgresExtension.withDatabase(server.jdbcUrl(), name);
  }

  /**
   * Mounts a tmpfs of {@code megabytes}, makes it a tablespace of {@code server}'s PostgreSQL and
   * creates an empty database in it; skips the calling test when the machine does not allow it.
   */
  static SmallDisk create(TestDatabase server, int megabytes) throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "a full disk is simulated with a tmpfs mount, which needs root (running as "
            + System.getProperty("user.name")
            + ")");
    Path dataDir;
    try (Connection c = admin(server);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW data_directory")) {
      rs.next();
      dataDir = Path.of(rs.getString(1));
    } catch (SQLException e) {
      Assumptions.abort("cannot ask the server where its data lives: " + e.getMessage());
      throw e;
    }
    Assumptions.assumeTrue(
        Files.isDirectory(dataDir),
        "the PostgreSQL server is not on this machine (no " + dataDir + " here)");
    PosixFileAttributes owner = Files.readAttributes(dataDir, PosixFileAttributes.class);
    String name = "ursprung_it_full_" + UUID.randomUUID().toString().substring(0, 8);
    // the server creates the tablespace's files itself, so the directory must be on its machine
    // and in its view of the file system (a server in a container with its own /tmp cannot see it)
    Path mount = Files.createTempDirectory("ursprung-small-disk-");
    SmallDisk disk = new SmallDisk(server, mount, name);
    try {
      String out =
          run(
              "mount",
              "-t",
              "tmpfs",
              "-o",
              "size=" + megabytes + "m,mode=0755",
              "tmpfs",
              "" + mount);
      Assumptions.assumeTrue(
          out == null, "cannot mount a tmpfs for the small disk: " + out + " (container?)");
      disk.undo.add("umount");
      Path location = mount.resolve("tablespace");
      Files.createDirectory(location);
      PosixFileAttributeView view =
          Files.getFileAttributeView(location, PosixFileAttributeView.class);
      view.setOwner(owner.owner());
      view.setGroup(owner.group());
      view.setPermissions(PosixFilePermissions.fromString("rwx------"));
      try (Connection c = admin(server);
          Statement s = c.createStatement()) {
        try {
          s.execute("CREATE TABLESPACE " + name + " LOCATION '" + location + "'");
        } catch (SQLException e) {
          Assumptions.abort(
              "the PostgreSQL server cannot put a tablespace in "
                  + location
                  + " (is it on another machine or in a container?): "
                  + e.getMessage());
        }
        disk.undo.add("tablespace");
        s.execute("CREATE DATABASE " + name + " TABLESPACE " + name);
        disk.undo.add("database");
      }
      return disk;
    } catch (Throwable t) {
      disk.close();
      throw t;
    }
  }

  /** The JDBC URL of the database on the small disk. */
  String jdbcUrl() {
    return url;
  }

  /** Fills the disk up to the last byte with a ballast file. */
  void fill() throws IOException {
    ballast = mount.resolve("ballast");
    ByteBuffer mib = ByteBuffer.allocate(1 << 20);
    try (FileChannel ch =
        FileChannel.open(ballast, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int chunk = 1 << 20; chunk >= 4096; ) {
        mib.clear().limit(chunk);
        try {
          while (mib.hasRemaining()) {
            ch.write(mib);
          }
        } catch (IOException full) {
          chunk /= 2; // ENOSPC: what is left is smaller than a chunk
        }
      }
    }
  }

  /** Bytes still free on the disk. */
  long usable() throws IOException {
    return Files.getFileStore(mount).getUsableSpace();
  }

  /** Removes the ballast: the disk has room again. */
  void makeRoom() throws IOException {
    Files.deleteIfExists(ballast);
  }

  @Override
  public void close() throws Exception {
    List<Exception> problems = new ArrayList<>();
    try (Connection c = admin(server);
        Statement s = c.createStatement()) {
      if (undo.contains("database")) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
      if (undo.contains("tablespace")) {
        s.execute("DROP TABLESPACE IF EXISTS " + name);
      }
    } catch (SQLException e) {
      problems.add(e);
    }
    if (undo.contains("umount")) {
      String out = null;
      // A server process may still hold a file there for a moment after the drop.
      for (int i = 0; i < 20; i++) {
        out = run("umount", "" + mount);
        if (out == null) {
          break;
        }
        Thread.sleep(250);
      }
      if (out != null) {
        problems.add(new IOException("could not unmount " + mount + ": " + out));
      }
    }
    if (problems.isEmpty() || !undo.contains("umount")) {
      try {
        Files.deleteIfExists(mount);
      } catch (IOException e) {
        problems.add(e); // still mounted: the unmount problem above says why
      }
    }
    if (!problems.isEmpty()) {
      Exception e = problems.get(0);
      problems.subList(1, problems.size()).forEach(e::addSuppressed);
      throw e;
    }
  }

  private static Connection admin(TestDatabase server) throws SQLException {
    Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
    c.setAutoCommit(true);
    return c;
  }

  /** Runs a command (LiveAuditdIT's runner); null when it succeeded, else what it said. */
  private static String run(String... command) throws IOException, InterruptedException {
    LiveAuditdIT.Result r = LiveAuditdIT.sh(command);
    return r.status() == 0
        ? null
        : String.join(" ", command) + ": " + r.out().strip() + " (exit " + r.status() + ")";
  }
}
