package io.ursprung.plugin;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Which files a replay reads, in which order, and how to open them (plain or gzip). */
final class InputFiles {
  private InputFiles() {}

  /** {@code audit.log.3}, {@code audit.log.3.gz}: base name and rotation number. */
  private static final Pattern ROTATED = Pattern.compile("(.+)\\.(\\d+)(\\.gz)?");

  private static final Pattern GZ = Pattern.compile("(.+)\\.gz");

  /**
   * The files to read: files as given, in the given order; a directory's regular, non-hidden files
   * in rotation order — for each base name the highest rotation number first and the live file
   * ({@code audit.log}) last, since auditd's rotation makes {@code audit.log.N} the oldest —
   * otherwise by name.
   *
   * @throws NoSuchFileException when an argument does not exist
   */
  static List<Path> expand(List<Path> args) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path arg : args) {
      if (Files.isDirectory(arg)) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(arg)) {
          for (Path p : ds) {
            if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
              files.add(p);
            }
          }
        }
        files.sort(ROTATION_ORDER);
        out.addAll(files);
      } else if (Files.exists(arg)) {
        out.add(arg);
      } else {
        throw new NoSuchFileException(arg.toString(), null, "input does not exist");
      }
    }
    return out;
  }

  /** Orders by base name, then rotation number descending, the unnumbered file last. */
  static final Comparator<Path> ROTATION_ORDER =
      Comparator.comparing((Path p) -> base(p.getFileName().toString()))
          .thenComparing(
              (Path p) -> rotation(p.getFileName().toString()), Comparator.reverseOrder())
          .thenComparing(p -> p.getFileName().toString());

  private static String base(String name) {
    Matcher m = ROTATED.matcher(name);
    if (m.matches()) {
      return m.group(1);
    }
    Matcher g = GZ.matcher(name);
    return g.matches() ? g.group(1) : name;
  }

  private static long rotation(String name) {
    Matcher m = ROTATED.matcher(name);
    if (m.matches()) {
      try {
        return Long.parseLong(m.group(2));
      } catch (NumberFormatException e) {
        return Long.MAX_VALUE;
      }
    }
    return 0; // the live file: after every numbered one
  }

  /**
   * Opens a file, decompressing it when it starts with the gzip magic bytes (whatever its name),
   * including multi-member files such as concatenated rotations.
   */
  static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    if (b1 == 0x1f && b2 == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }
}
