package io.ursprung.consumer.rules;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * Reads the lines appended to a log file since a byte offset. Only complete lines are read (a line
 * still being written is read next time, from the same offset), so the offset alone is the state:
 * no fragment has to be kept, in memory or elsewhere.
 */
final class LogReader {
  /** Longest line kept; longer ones are cut to this (and still consumed). */
  static final int MAX_LINE = 1 << 20;

  private LogReader() {}

  /** Receives lines. */
  @FunctionalInterface
  interface LineSink {
    void line(String line) throws Exception;
  }

  /** Where a log was read to: the state of LOGLOAD for one file. */
  record Position(long offset, long inode) {
    static Position parse(String state) {
      if (state == null) {
        return null;
      }
      long offset = -1;
      long inode = -1;
      for (String part : state.split(" ")) {
        if (part.startsWith("offset=")) {
          offset = Long.parseLong(part.substring(7));
        } else if (part.startsWith("inode=")) {
          inode = Long.parseLong(part.substring(6));
        }
      }
      if (offset < 0) {
        throw new IllegalArgumentException("bad LOGLOAD state '" + state + "'");
      }
      return new Position(offset, inode);
    }

    String format() {
      return "offset=" + offset + " inode=" + inode;
    }
  }

  /** The file's inode, or null when it does not exist. */
  static Long inode(Path file) throws IOException {
    try {
      return ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** A regular file in {@code dir} with this inode (a rotated log), or null. */
  static Path findByInode(Path dir, long inode) throws IOException {
    if (dir == null || !Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        try {
          if (Files.isRegularFile(p) && inode == inode(p)) {
            return p;
          }
        } catch (IOException | NullPointerException e) {
          // vanished meanwhile
        }
      }
    }
    return null;
  }

  /**
   * Hands every line of {@code file} from {@code offset} to {@code sink}, without its line end
   * ({@code \n} or {@code \r\n}).
   *
   * @param toEnd also hand over a last line without a line end (the file is finished, e.g. a
   *     rotated log)
   * @return the offset after the last line handed over
   */
  static long read(Path file, long offset, boolean toEnd, LineSink sink) throws Exception {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long pos = offset;
      long consumed = offset;
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        buf.clear();
        int n = ch.read(buf, pos);
        if (n <= 0) {
          break;
        }
        pos += n;
        byte[] a = buf.array();
        for (int i = 0; i < n; i++) {
          byte b = a[i];
          if (b == '\n') {
            sink.line(text(line));
            line.reset();
            consumed = pos - n + i + 1;
          } else if (line.size() < MAX_LINE) {
            line.write(b);
          }
        }
      }
      if (toEnd && pos > consumed) {
        sink.line(text(line));
        consumed = pos;
      }
      return consumed;
    }
  }

  private static String text(ByteArrayOutputStream line) {
    byte[] b = line.toByteArray();
    int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
    return new String(b, 0, len, StandardCharsets.UTF_8);
  }
}
