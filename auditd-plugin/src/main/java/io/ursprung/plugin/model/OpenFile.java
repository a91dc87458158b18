package io.ursprung.plugin.model;

/**
 * An open file description: what one or more descriptors (after dup or fork) refer to. Counted, so
 * the write-close is reported when the last descriptor goes, as the kernel's close-write would be.
 */
final class OpenFile {
  static final int FILE = 0;
  static final int DIR = 1;
  static final int PIPE = 2;
  static final int SOCKETPAIR = 3;
  static final int SOCKET = 4;

  final int kind;
  int refs;

  /** When the /proc snapshot showed this description open; see {@link Proc#snapshotAt}. */
  long snapshotAt = Long.MIN_VALUE;

  // files and directories
  String path;
  Long inode;
  String device;
  String objectType;
  boolean read;
  boolean write;

  // pipes and socketpairs: which end of which channel (pipe: 0 = read, 1 = write)
  Channel channel;
  int end;

  // sockets
  String family;
  String address;
  Integer port;
  String unixPath;

  OpenFile(int kind) {
    this.kind = kind;
  }

  boolean hasPath() {
    return (kind == FILE || kind == DIR) && path != null;
  }
}
