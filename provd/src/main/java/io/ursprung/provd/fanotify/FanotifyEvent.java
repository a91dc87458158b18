package io.ursprung.provd.fanotify;

import java.util.List;

/**
 * One decoded {@code struct fanotify_event_metadata} with its info records.
 *
 * @param mask the event bits ({@code FAN_*})
 * @param fd the event's open fd in fd mode; {@code FAN_NOFD} (-1) in FID mode
 * @param pid the accessing process (thread group id)
 * @param infos the info records (FID mode), in kernel order
 */
public record FanotifyEvent(long mask, int fd, int pid, List<Info> infos) {
  public FanotifyEvent {
    infos = List.copyOf(infos);
  }

  /**
   * One {@code fanotify_event_info_fid} record.
   *
   * @param type {@code FAN_EVENT_INFO_TYPE_*}
   * @param fsid the file system id ({@code __kernel_fsid_t} as one little-endian long)
   * @param fileHandle {@code struct file_handle}: handle_bytes, handle_type and the handle
   * @param name the entry name for the {@code *DFID_NAME} types, else {@code null}
   */
  public record Info(int type, long fsid, byte[] fileHandle, String name) {}

  /** The first info record of a type, or {@code null}. */
  public Info info(int type) {
    for (Info i : infos) {
      if (i.type() == type) {
        return i;
      }
    }
    return null;
  }

  public boolean has(long bits) {
    return (mask & bits) != 0;
  }
}
