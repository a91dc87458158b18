package io.ursprung.db.query;

import java.time.Instant;
import java.util.List;

/**
 * Everything known about one file (an inode).
 *
 * @param host namespace
 * @param fs file system
 * @param inode inode
 * @param objectType file, dir, symlink, fifo, socket, other
 * @param names its path history, oldest first
 * @param versions its versions, oldest first
 */
public record FileDetails(
    String host,
    String fs,
    long inode,
    String objectType,
    List<Name> names,
    List<Version> versions) {

  /**
   * A name event.
   *
   * @param path the name
   * @param op open, create, rename-from, rename-to, link, symlink, unlink, ...
   * @param time when
   * @param processId who, when known and visible
   */
  public record Name(String path, String op, Instant time, String processId) {}

  /**
   * A version.
   *
   * @param id node id
   * @param version number, 1 for the oldest
   * @param time when it was made
   * @param cause write, create, truncate, rename
   * @param path name at the time
   * @param size size in bytes, when known
   * @param contentHash content digest, when a source reported one (none does yet)
   * @param writer the process that made it, when known and visible
   */
  public record Version(
      String id,
      int version,
      Instant time,
      String cause,
      String path,
      Long size,
      String contentHash,
      ProcessSummary writer) {}
}
