package io.ursprung.db.graph;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The rows of the graph tables, one record per table. Field names follow the columns; see
 * docs/store.md. Nullable fields are boxed.
 */
public final class Rows {
  private Rows() {}

  /** The {@code fs} value of files known only by path; their inode is {@link #pathInode}. */
  public static final String PATH_FS = "path";

  /**
   * A stable 64-bit stand-in inode for a file known only by its path (FNV-1a of the UTF-8 path), so
   * that such files still have a key. Stable across runs and JVMs, unlike {@code hashCode}.
   */
  public static long pathInode(String path) {
    long h = 0xcbf29ce484222325L;
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /**
   * Identity of a file: the namespace it lives in (host, or cluster for Spectrum Scale), the file
   * system (device {@code major:minor}, Scale file system name, or {@link #PATH_FS}), the inode.
   */
  public record FileKey(String host, String fs, long inode) {
    public FileKey {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(fs, "fs");
    }

    /** The key of a file known by inode when there is one, else by path. */
    public static FileKey of(String host, String device, Long inode, String path) {
      if (inode != null && device != null) {
        return new FileKey(host, device, inode);
      }
      if (inode != null) {
        return new FileKey(host, "?", inode);
      }
      return new FileKey(host, PATH_FS, pathInode(path));
    }
  }

  /**
   * A raw event for {@code event_archive}; {@code payload} is its JSON text as UTF-8, the bytes
   * received (written as they are: {@link CopyBinary}).
   */
  public record Archive(
      String host,
      String id,
      String type,
      Instant time,
      String producer,
      byte[] payload,
      String topic,
      Integer partition,
      Long offset) {}

  /** One exec of a process ({@code process_execs}). */
  public record Exec(
      String host,
      String eventId,
      int pid,
      Instant start,
      Instant time,
      String exe,
      String exeFs,
      Long exeInode,
      List<String> argv,
      String cwd,
      Integer uid,
      String user) {}

  /** A file-system object ({@code files}). */
  public record File(FileKey key, String objectType, Instant firstSeen) {}

  /**
   * Whether a name row only shows a name in use ({@code open}, {@code exec}), as opposed to one
   * that makes, changes or ends a name: see {@link GraphBatch#name}.
   */
  public static boolean isSighting(String op) {
    return "open".equals(op) || "exec".equals(op);
  }

  /** One event naming a file ({@code file_names}). */
  public record FileName(
      String eventId,
      String path,
      String op,
      FileKey file,
      Instant time,
      String procHost,
      Integer pid,
      Instant start) {}

  /**
   * A new version of a file's content ({@code file_versions}); {@code start} may be null for a
   * Spectrum Scale event, which the store then attaches to the process by pid and time.
   */
  public record Version(
      String eventId,
      FileKey file,
      Instant time,
      String cause,
      String path,
      Long size,
      String procHost,
      Integer pid,
      Instant start,
      String source) {}

  /** A process read or executed a file ({@code used}). */
  public record Used(
      String host,
      String eventId,
      String kind,
      Integer pid,
      Instant start,
      Instant time,
      FileKey file,
      String path,
      String source) {}

  /** Process {@code pid/start} was informed by {@code informantPid/informantStart}. */
  public record Informed(
      String host,
      String eventId,
      String kind,
      int pid,
      Instant start,
      int informantPid,
      Instant informantStart,
      Instant time,
      String channel) {}

  /** File {@code file} was derived from {@code src} (or from {@code srcPath} when unknown). */
  public record Derived(
      String eventId,
      String kind,
      FileKey file,
      String path,
      FileKey src,
      String srcPath,
      Instant time,
      String procHost,
      Integer pid,
      Instant start) {}

  /** Socket activity ({@code sockets}). */
  public record Socket(
      String host,
      String eventId,
      int pid,
      Instant start,
      Instant time,
      String op,
      String family,
      String address,
      Integer port,
      String path,
      Integer fd,
      Long result) {}

  /** A job lifecycle sub-record ({@code job_events}); {@code attributesJson} is a JSON object. */
  public record JobEvent(
      String host,
      String eventId,
      String jobId,
      String stage,
      String user,
      String attributesJson,
      Instant time) {}

  /**
   * The latest {@code host.status} of a host ({@code host_status}), newer wins.
   *
   * @param producer name/version of the producer
   */
  public record HostStatusRow(
      String host, Instant reported, String producer, io.ursprung.events.HostStatus status) {}

  /**
   * Half of a Spectrum Scale rename ({@code scale_moves}): {@code half} is {@code from} or {@code
   * to}; {@code state} is {@code pending}, {@code paired} (with {@code partner}, the other half's
   * event id) or {@code expired}.
   */
  public record Move(
      String cluster,
      long cookie,
      String half,
      String eventId,
      String node,
      String fs,
      long inode,
      String path,
      Integer pid,
      Instant time,
      String state,
      String partner) {
    /** The same half in another state. */
    public Move with(String newState, String newPartner) {
      return new Move(
          cluster, cookie, half, eventId, node, fs, inode, path, pid, time, newState, newPartner);
    }
  }
}
