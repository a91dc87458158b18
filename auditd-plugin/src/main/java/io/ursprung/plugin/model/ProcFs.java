package io.ursprung.plugin.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** {@link ProcSource} over a /proc-shaped directory: {@code /proc} itself, or a test's tree. */
public final class ProcFs implements ProcSource {
  /**
   * USER_HZ, the unit of stat's start time. It is 100 on every architecture the plugin supports
   * (x86, arm64, ppc64le, s390x; only alpha differs), and asking {@code getconf CLK_TCK} would mean
   * running a program at start from auditd's empty environment.
   */
  static final long USER_HZ = 100;

  private final Path root;
  private final LongSupplier clock;

  /** The real /proc. */
  public ProcFs() {
    this(Path.of("/proc"), System::currentTimeMillis);
  }

  /**
   * A tree of /proc's shape.
   *
   * @param root the directory standing for /proc
   * @param clock the snapshot's wall-clock time
   */
  public ProcFs(Path root, LongSupplier clock) {
    this.root = root;
    this.clock = clock;
  }

  @Override
  public long now() {
    return clock.getAsLong();
  }

  @Override
  public long bootTimeSeconds() throws IOException {
    for (String line : Files.readAllLines(root.resolve("stat"), StandardCharsets.ISO_8859_1)) {
      if (line.startsWith("btime ")) {
        try {
          return Long.parseLong(line.substring(6).trim());
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    throw new IOException("no btime in " + root.resolve("stat"));
  }

  @Override
  public long clockTicks() {
    return USER_HZ;
  }

  @Override
  public List<Integer> pids() throws IOException {
    return numbers(root);
  }

  @Override
  public byte[] read(int pid, String name) throws IOException {
    return Files.readAllBytes(dir(pid).resolve(name));
  }

  @Override
  public String readLink(int pid, String name) throws IOException {
    return Files.readSymbolicLink(dir(pid).resolve(name)).toString();
  }

  @Override
  public List<Integer> fds(int pid) throws IOException {
    return numbers(dir(pid).resolve("fd"));
  }

  @Override
  public Target target(int pid, int fd) throws IOException {
    // following /proc/<pid>/fd/<n> opens the very object the process holds
    Map<String, Object> a =
        Files.readAttributes(dir(pid).resolve("fd/" + fd), "unix:ino,dev,mode,nlink");
    long dev = ((Number) a.get("dev")).longValue();
    int mode = ((Number) a.get("mode")).intValue();
    return new Target(
        ((Number) a.get("ino")).longValue(),
        device(dev),
        (mode & 0170000) == 0100000,
        (mode & 0170000) == 0040000,
        ((Number) a.get("nlink")).longValue());
  }

  /** glibc's encoding of st_dev, printed as the kernel's audit PATH records print dev=. */
  static String device(long dev) {
    long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xfffff000L);
    long minor = (dev & 0xffL) | ((dev >>> 12) & 0xffffff00L);
    return String.format("%02x:%02x", major, minor);
  }

  private Path dir(int pid) {
    return root.resolve(Integer.toString(pid));
  }

  private static List<Integer> numbers(Path dir) throws IOException {
    List<Integer> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.isEmpty() && n.length() < 10 && n.chars().allMatch(c -> c >= '0' && c <= '9')) {
          out.add(Integer.parseInt(n));
        }
      }
    }
    return out;
  }
}
