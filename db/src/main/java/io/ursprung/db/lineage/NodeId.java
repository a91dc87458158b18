package io.ursprung.db.lineage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of a graph node and its text form in the API.
 *
 * <ul>
 *   <li>a process: {@code p:<host>:<pid>:<start, microseconds since the epoch>}
 *   <li>a file version: {@code f:<host>:<inode>:<version time in µs, or '-' for the content before
 *       capture began>:<file system>} (the file system comes last because device numbers such as
 *       {@code 253:1} contain colons)
 * </ul>
 *
 * Host names never contain a colon or white space (they are validated on the way in).
 */
public sealed interface NodeId {

  /** Allowed host and cluster names: the wire format's rule, which decoders enforce. */
  Pattern HOST = io.ursprung.events.ProvEvent.HOST_NAME;

  /** The text form. */
  String text();

  /** Whether this is a process. */
  default boolean isProcess() {
    return this instanceof Process;
  }

  /**
   * A process incarnation.
   *
   * @param host where it ran
   * @param pid its pid
   * @param start its start time (microsecond precision, as stored)
   */
  record Process(String host, int pid, Instant start) implements NodeId {
    public Process {
      requireHost(host);
      if (pid < 0) {
        throw new IllegalArgumentException("pid must not be negative");
      }
      start = Objects.requireNonNull(start, "start").truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public String text() {
      return "p:" + host + ":" + pid + ":" + micros(start);
    }
  }

  /**
   * A version of a file.
   *
   * @param host the namespace of the inode (host or cluster)
   * @param fs the file system
   * @param inode the inode
   * @param versionTime when the version was made, or null for the content before capture began
   */
  record FileVersion(String host, String fs, long inode, Instant versionTime) implements NodeId {
    public FileVersion {
      requireHost(host);
      Objects.requireNonNull(fs, "fs");
      if (fs.isEmpty() || fs.length() > 255) {
        throw new IllegalArgumentException("file system must have 1 to 255 characters");
      }
      versionTime = versionTime == null ? null : versionTime.truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public String text() {
      return "f:"
          + host
          + ":"
          + inode
          + ":"
          + (versionTime == null ? "-" : Long.toString(micros(versionTime)))
          + ":"
          + fs;
    }
  }

  /**
   * Parses the text form.
   *
   * @throws IllegalArgumentException with a message fit for an API client
   */
  static NodeId parse(String text) {
    if (text == null || text.length() > 600) {
      throw new IllegalArgumentException("not a node id");
    }
    try {
      if (text.startsWith("p:")) {
        String[] p = text.split(":", 4);
        if (p.length != 4) {
          throw new IllegalArgumentException("a process id looks like p:<host>:<pid>:<start µs>");
        }
        return new Process(p[1], Integer.parseInt(p[2]), fromMicros(Long.parseLong(p[3])));
      }
      if (text.startsWith("f:")) {
        String[] p = text.split(":", 5);
        if (p.length != 5) {
          throw new IllegalArgumentException(
              "a file id looks like f:<host>:<inode>:<version µs or ->:<fs>");
        }
        Instant t = p[3].equals("-") ? null : fromMicros(Long.parseLong(p[3]));
        return new FileVersion(p[1], p[4], Long.parseLong(p[2]), t);
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a node id: a number is malformed");
    }
    throw new IllegalArgumentException("a node id starts with p: (process) or f: (file)");
  }

  private static void requireHost(String host) {
    if (host == null || !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("host must be a host name (letters, digits, . _ -)");
    }
  }

  /** Microseconds since the epoch. */
  static long micros(Instant t) {
    // Not ChronoUnit.MICROS.between: it counts through nanoseconds, which overflow a long outside
    // 1677..2262. Microseconds fit a long to year 294247, past any time a consumer stores.
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  /** The instant of microseconds since the epoch. */
  static Instant fromMicros(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
