package io.ursprung.provd.fanotify;

import io.ursprung.provd.nativeaccess.FanotifyFlags;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes what {@code read(2)} on a fanotify fd returned: a sequence of {@code struct
 * fanotify_event_metadata} (24 bytes: u32 event_len, u8 vers, u8 reserved, u16 metadata_len, u64
 * mask, s32 fd, s32 pid), each followed by info records up to {@code event_len}. Native byte order
 * (little-endian on x86_64 and aarch64).
 *
 * <p>Stops at the first malformed event (wrong version, a length that runs past the data) and
 * reports the bytes it could not use, rather than guess: the kernel never splits an event across
 * reads, so such bytes mean a bug or a kernel with a newer layout.
 */
public final class FanotifyParser {
  private FanotifyParser() {}

  /** The events and whether the buffer held malformed data after them. */
  public record Result(List<FanotifyEvent> events, String problem) {}

  /** Parses {@code buf} from its position to its limit (the buffer is not modified). */
  public static Result parse(ByteBuffer buf) {
    ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    List<FanotifyEvent> out = new ArrayList<>();
    int pos = b.position();
    int end = b.limit();
    while (end - pos >= FanotifyFlags.METADATA_LEN) {
      long eventLen = Integer.toUnsignedLong(b.getInt(pos));
      int vers = b.get(pos + 4) & 0xff;
      int metaLen = b.getShort(pos + 6) & 0xffff;
      if (vers != FanotifyFlags.METADATA_VERSION) {
        return new Result(out, "unsupported fanotify metadata version " + vers + " at " + pos);
      }
      if (eventLen < FanotifyFlags.METADATA_LEN
          || eventLen > end - pos
          || metaLen < FanotifyFlags.METADATA_LEN
          || metaLen > eventLen) {
        return new Result(
            out, "bad event length " + eventLen + " (metadata " + metaLen + ") at " + pos);
      }
      long mask = b.getLong(pos + 8);
      int fd = b.getInt(pos + 16);
      int pid = b.getInt(pos + 20);
      List<FanotifyEvent.Info> infos = new ArrayList<>();
      int p = pos + metaLen;
      int evEnd = pos + (int) eventLen;
      while (evEnd - p >= 4) {
        int type = b.get(p) & 0xff;
        int len = b.getShort(p + 2) & 0xffff;
        if (len < 4 || len > evEnd - p) {
          return new Result(out, "bad info record length " + len + " at " + p);
        }
        FanotifyEvent.Info info = parseInfo(b, p, type, len);
        if (info != null) {
          infos.add(info);
        }
        p += len;
      }
      out.add(new FanotifyEvent(mask, fd, pid, infos));
      pos = evEnd;
    }
    if (pos != end) {
      return new Result(out, (end - pos) + " trailing bytes");
    }
    return new Result(out, null);
  }

  private static FanotifyEvent.Info parseInfo(ByteBuffer b, int p, int type, int len) {
    boolean fid =
        type == FanotifyFlags.INFO_FID
            || type == FanotifyFlags.INFO_DFID
            || type == FanotifyFlags.INFO_DFID_NAME
            || type == FanotifyFlags.INFO_OLD_DFID_NAME
            || type == FanotifyFlags.INFO_NEW_DFID_NAME;
    // header (4) + fsid (8) + handle_bytes (4) + handle_type (4)
    if (!fid || len < 20) {
      return null; // pidfd, error, range and future types: not used by provd
    }
    long fsid = b.getLong(p + 4);
    int handleBytes = b.getInt(p + 12);
    int handleTotal = 8 + handleBytes;
    if (handleBytes < 0 || 12 + handleTotal > len) {
      return null;
    }
    byte[] handle = new byte[handleTotal];
    b.get(p + 12, handle);
    String name = null;
    if (type == FanotifyFlags.INFO_DFID_NAME
        || type == FanotifyFlags.INFO_OLD_DFID_NAME
        || type == FanotifyFlags.INFO_NEW_DFID_NAME) {
      int start = p + 12 + handleTotal;
      int stop = start;
      while (stop < p + len && b.get(stop) != 0) {
        stop++;
      }
      byte[] nameBytes = new byte[stop - start];
      b.get(start, nameBytes);
      name = new String(nameBytes, StandardCharsets.UTF_8);
    }
    return new FanotifyEvent.Info(type, fsid, handle, name);
  }

  /**
   * The inode number inside a file handle, for the layouts that carry it plainly: ext2/3/4 and
   * others using {@code FILEID_INO32_GEN} (type 1, 8 bytes: ino, generation) and tmpfs (type 1, 12
   * bytes: generation, 64-bit ino). Other layouts are opaque: -1. Used for objects that no longer
   * exist (a deleted file) and so cannot be stat'ed.
   */
  public static long inodeFromHandle(byte[] fileHandle) {
    if (fileHandle == null || fileHandle.length < 8) {
      return -1;
    }
    ByteBuffer b = ByteBuffer.wrap(fileHandle).order(ByteOrder.LITTLE_ENDIAN);
    int bytes = b.getInt(0);
    int type = b.getInt(4);
    if (type != 1 || fileHandle.length < 8 + bytes) {
      return -1;
    }
    if (bytes == 8) {
      return Integer.toUnsignedLong(b.getInt(8));
    }
    if (bytes == 12) {
      return Integer.toUnsignedLong(b.getInt(12)) | (Integer.toUnsignedLong(b.getInt(16)) << 32);
    }
    return -1;
  }
}
