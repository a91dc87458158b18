package io.ursprung.provd.nativeaccess;

/** Constants of {@code <linux/fanotify.h>} that provd uses, from the kernel's uapi header. */
public final class FanotifyFlags {
  private FanotifyFlags() {}

  // fanotify_init flags
  public static final int FAN_CLOEXEC = 0x1;
  public static final int FAN_NONBLOCK = 0x2;
  public static final int FAN_CLASS_NOTIF = 0x0;
  public static final int FAN_REPORT_FID = 0x200;
  public static final int FAN_REPORT_DIR_FID = 0x400;
  public static final int FAN_REPORT_NAME = 0x800;
  public static final int FAN_REPORT_DFID_NAME = FAN_REPORT_DIR_FID | FAN_REPORT_NAME;
  public static final int FAN_REPORT_TARGET_FID = 0x1000;

  // fanotify_mark flags
  public static final int FAN_MARK_ADD = 0x1;
  public static final int FAN_MARK_MOUNT = 0x10;
  public static final int FAN_MARK_FILESYSTEM = 0x100;

  // event mask bits
  public static final long FAN_ACCESS = 0x1;
  public static final long FAN_MODIFY = 0x2;
  public static final long FAN_ATTRIB = 0x4;
  public static final long FAN_CLOSE_WRITE = 0x8;
  public static final long FAN_CLOSE_NOWRITE = 0x10;
  public static final long FAN_OPEN = 0x20;
  public static final long FAN_MOVED_FROM = 0x40;
  public static final long FAN_MOVED_TO = 0x80;
  public static final long FAN_CREATE = 0x100;
  public static final long FAN_DELETE = 0x200;
  public static final long FAN_Q_OVERFLOW = 0x4000;
  public static final long FAN_RENAME = 0x10000000L;
  public static final long FAN_ONDIR = 0x40000000L;

  // info record types
  public static final int INFO_FID = 1;
  public static final int INFO_DFID_NAME = 2;
  public static final int INFO_DFID = 3;
  public static final int INFO_OLD_DFID_NAME = 10;
  public static final int INFO_NEW_DFID_NAME = 12;

  public static final int METADATA_VERSION = 3;
  public static final int METADATA_LEN = 24;
  public static final int FAN_NOFD = -1;

  // open(2) flags used with fanotify
  public static final int O_RDONLY = 0;
  public static final int O_LARGEFILE = 0x8000;
  public static final int O_DIRECTORY = 0x10000;
  public static final int O_CLOEXEC = 0x80000;
  public static final int O_PATH = 0x200000;
}
