package io.ursprung.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks a {@code .tar.xz} archive: the PostgreSQL binaries ship that way. Handles what such an
 * archive holds (regular files with their modes, directories, symbolic links, ustar name prefixes,
 * GNU long names); refuses entries that would land outside the target directory.
 */
final class TarXz {
  private static final int BLOCK = 512;

  private TarXz() {}

  static void unpack(InputStream xz, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    Files.createDirectories(root);
    try (InputStream in = new BufferedInputStream(new XZInputStream(xz), 1 << 16)) {
      byte[] header = new byte[BLOCK];
      String longName = null;
      while (readFully(in, header)) {
        if (isZero(header)) {
          return; // end-of-archive marker
        }
        String name = longName != null ? longName : name(header);
        longName = null;
        char type = (char) header[156];
        long size = octal(header, 124, 12);
        int mode = (int) octal(header, 100, 8);
        if (type == 'L') { // GNU long name: the data is the next entry's name
          longName = new String(readData(in, size), StandardCharsets.UTF_8).replace("\0", "");
          continue;
        }
        if (type == 'x' || type == 'g') { // pax headers: nothing we need
          skipData(in, size);
          continue;
        }
        Path dest = root.resolve(name).normalize();
        if (!dest.startsWith(root)) {
          throw new IOException("archive entry escapes the target directory: " + name);
        }
        switch (type) {
          case '5' -> Files.createDirectories(dest);
          case '2' -> {
            String link = cString(header, 157, 100);
            Files.createDirectories(dest.getParent());
            Files.deleteIfExists(dest);
            Files.createSymbolicLink(dest, Path.of(link));
          }
          case '0', '\0', '7' -> {
            Files.createDirectories(dest.getParent());
            Files.copy(new Bounded(in, size), dest, StandardCopyOption.REPLACE_EXISTING);
            skipPadding(in, size);
            Files.setPosixFilePermissions(dest, permissions(mode));
          }
          default -> skipData(in, size);
        }
      }
    }
  }

  private static String name(byte[] h) {
    String name = cString(h, 0, 100);
    if ("ustar".equals(cString(h, 257, 5))) {
      String prefix = cString(h, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
    }
    return name;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        p.add(bits[i]);
      }
    }
    return p;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len) {
    long v = 0;
    for (int i = off; i < off + len; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '7') {
        v = v * 8 + (c - '0');
      } else if (c != ' ' && c != 0) {
        break;
      }
    }
    return v;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int n = in.readNBytes(b, 0, b.length);
    if (n == 0) {
      return false;
    }
    if (n < b.length) {
      throw new IOException("truncated archive");
    }
    return true;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    byte[] data = in.readNBytes((int) size);
    skipPadding(in, size);
    return data;
  }

  private static void skipData(InputStream in, long size) throws IOException {
    in.skipNBytes(size);
    skipPadding(in, size);
  }

  private static void skipPadding(InputStream in, long size) throws IOException {
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    in.skipNBytes(pad);
  }

  /** A view of the next {@code size} bytes of a stream that does not close it. */
  private static final class Bounded extends InputStream {
    private final InputStream in;
    private long left;

    Bounded(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int c = in.read();
      if (c >= 0) {
        left--;
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public void close() {
      // The archive stream stays open for the next entry.
    }
  }
}
