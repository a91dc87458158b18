package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A process touched a file-system object.
 *
 * @param process the accessing process
 * @param op what happened
 * @param path absolute, normalised path (for rename and link: the source)
 * @param inode 64-bit inode, when known
 * @param device device as {@code major:minor}, when known
 * @param fd the file descriptor involved (open's result, close's argument), when any
 * @param flags raw open flags in hex as the kernel reported them, when any
 * @param read opened for reading
 * @param write opened for writing (for close: the descriptor was writable)
 * @param create the open created the file
 * @param truncate the open truncated the file
 * @param targetPath for rename, link and symlink: the new name (absolute, normalised)
 * @param targetInode inode of the target, when known
 * @param objectType {@code file}, {@code dir}, {@code symlink}, {@code fifo}, {@code socket}, or
 *     {@code other}, when known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileAccess(
    ProcessRef process,
    Op op,
    String path,
    Long inode,
    String device,
    Integer fd,
    String flags,
    Boolean read,
    Boolean write,
    Boolean create,
    Boolean truncate,
    String targetPath,
    Long targetInode,
    String objectType)
    implements EventData {

  /** File operations. */
  public enum Op {
    OPEN,
    CLOSE,
    RENAME,
    UNLINK,
    LINK,
    SYMLINK,
    TRUNCATE,
    MKDIR,
    RMDIR;

    /** Lower-case wire name. */
    @JsonValue
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public FileAccess {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
  }

  @Override
  public EventType type() {
    return EventType.FILE_ACCESS;
  }
}
