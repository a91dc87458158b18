package io.ursprung.provd.fanotify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.provd.nativeaccess.FanotifyFlags;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Decoding the kernel's event layout from hand-built byte buffers (x86_64 byte order). */
class FanotifyParserTest {

  private static byte[] metadata(int eventLen, int vers, long mask, int fd, int pid) {
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(eventLen).put((byte) vers).put((byte) 0).putShort((short) 24);
    b.putLong(mask).putInt(fd).putInt(pid);
    return b.array();
  }

  /** An info record: header, fsid, file_handle (handle_bytes, type, bytes), optional name. */
  private static byte[] fidInfo(int type, long fsid, int handleType, byte[] handle, String name) {
    byte[] nameBytes = name == null ? new byte[0] : (name + "\0").getBytes(StandardCharsets.UTF_8);
    int len = 4 + 8 + 8 + handle.length + nameBytes.length;
    int padded = (len + 3) & ~3; // the kernel pads info records to 4 bytes
    ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) type).put((byte) 0).putShort((short) padded);
    b.putLong(fsid).putInt(handle.length).putInt(handleType).put(handle).put(nameBytes);
    return b.array();
  }

  private static ByteBuffer concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  @Test
  void fdModeEventsFollowEachOther() {
    ByteBuffer buf =
        concat(
            metadata(24, 3, FanotifyFlags.FAN_OPEN, 7, 4711),
            metadata(24, 3, FanotifyFlags.FAN_CLOSE_WRITE | FanotifyFlags.FAN_MODIFY, 8, 4712));
    FanotifyParser.Result r = FanotifyParser.parse(buf);
    assertNull(r.problem());
    assertEquals(2, r.events().size());
    FanotifyEvent a = r.events().get(0);
    assertEquals(FanotifyFlags.FAN_OPEN, a.mask());
    assertEquals(7, a.fd());
    assertEquals(4711, a.pid());
    assertTrue(a.infos().isEmpty());
    FanotifyEvent b = r.events().get(1);
    assertTrue(b.has(FanotifyFlags.FAN_CLOSE_WRITE) && b.has(FanotifyFlags.FAN_MODIFY));
    assertEquals(8, b.fd());
  }

  @Test
  void fidEventsCarryDirectoryHandleNameAndObjectHandle() {
    byte[] dirHandle = {1, 0, 0, 0, 9, 0, 0, 0}; // ino 1, generation 9
    byte[] objHandle = {42, 0, 0, 0, 3, 0, 0, 0}; // ino 42, generation 3
    byte[] dfid = fidInfo(FanotifyFlags.INFO_DFID_NAME, 0x1122334455L, 1, dirHandle, "out.csv");
    byte[] fid = fidInfo(FanotifyFlags.INFO_FID, 0x1122334455L, 1, objHandle, null);
    int len = 24 + dfid.length + fid.length;
    ByteBuffer buf =
        concat(metadata(len, 3, FanotifyFlags.FAN_CREATE, FanotifyFlags.FAN_NOFD, 99), dfid, fid);
    FanotifyParser.Result r = FanotifyParser.parse(buf);
    assertNull(r.problem());
    FanotifyEvent e = r.events().get(0);
    assertEquals(-1, e.fd());
    assertEquals(99, e.pid());
    FanotifyEvent.Info d = e.info(FanotifyFlags.INFO_DFID_NAME);
    assertNotNull(d);
    assertEquals("out.csv", d.name());
    assertEquals(0x1122334455L, d.fsid());
    // The handle is handed to open_by_handle_at as struct file_handle: bytes, type, handle.
    ByteBuffer h = ByteBuffer.wrap(d.fileHandle()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(8, h.getInt(0));
    assertEquals(1, h.getInt(4));
    FanotifyEvent.Info o = e.info(FanotifyFlags.INFO_FID);
    assertNull(o.name());
    assertEquals(42, FanotifyParser.inodeFromHandle(o.fileHandle()));
  }

  @Test
  void renameEventsCarryBothEnds() {
    byte[] h = {5, 0, 0, 0, 1, 0, 0, 0};
    byte[] oldName = fidInfo(FanotifyFlags.INFO_OLD_DFID_NAME, 1, 1, h, "a.txt");
    byte[] newName = fidInfo(FanotifyFlags.INFO_NEW_DFID_NAME, 1, 1, h, "b.txt");
    int len = 24 + oldName.length + newName.length;
    FanotifyEvent e =
        FanotifyParser.parse(
                concat(metadata(len, 3, FanotifyFlags.FAN_RENAME, -1, 5), oldName, newName))
            .events()
            .get(0);
    assertEquals("a.txt", e.info(FanotifyFlags.INFO_OLD_DFID_NAME).name());
    assertEquals("b.txt", e.info(FanotifyFlags.INFO_NEW_DFID_NAME).name());
  }

  @Test
  void malformedDataStopsWithAReasonAfterTheGoodEvents() {
    FanotifyParser.Result wrongVersion =
        FanotifyParser.parse(
            concat(metadata(24, 3, 1, 3, 1), metadata(24, 2, FanotifyFlags.FAN_OPEN, 3, 1)));
    assertEquals(1, wrongVersion.events().size());
    assertTrue(wrongVersion.problem().contains("version 2"));

    FanotifyParser.Result tooLong = FanotifyParser.parse(concat(metadata(48, 3, 1, 3, 1)));
    assertTrue(tooLong.events().isEmpty());
    assertTrue(tooLong.problem().contains("bad event length"));

    FanotifyParser.Result trailing =
        FanotifyParser.parse(concat(metadata(24, 3, 1, 3, 1), new byte[5]));
    assertEquals(1, trailing.events().size());
    assertTrue(trailing.problem().contains("5 trailing bytes"));
  }

  @Test
  void inodesComeOutOfKnownHandleLayoutsOnly() {
    ByteBuffer ext4 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    ext4.putInt(8).putInt(1).putInt(0xfffffffe).putInt(7);
    assertEquals(0xfffffffeL, FanotifyParser.inodeFromHandle(ext4.array()));
    ByteBuffer tmpfs = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    tmpfs.putInt(12).putInt(1).putInt(77).putInt(5).putInt(1);
    assertEquals(5L | (1L << 32), FanotifyParser.inodeFromHandle(tmpfs.array()));
    ByteBuffer other = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    other.putInt(8).putInt(0x81).putInt(1).putInt(2);
    assertEquals(-1, FanotifyParser.inodeFromHandle(other.array()));
    assertArrayEquals(new byte[0], new byte[0]);
  }
}
