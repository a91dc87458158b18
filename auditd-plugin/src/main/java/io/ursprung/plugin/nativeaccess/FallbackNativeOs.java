package io.ursprung.plugin.nativeaccess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pure-Java {@link NativeOs}: names from {@code /etc/passwd} and {@code /etc/group} only (so LDAP
 * and SSSD accounts stay unresolved), and no kernel audit status. Used when libc cannot be bound,
 * and in tests. The files are re-read when their modification time changes.
 */
public final class FallbackNativeOs implements NativeOs {

  private final String why;
  private final IdFile passwd;
  private final IdFile group;

  FallbackNativeOs(String why) {
    this(why, Path.of("/etc/passwd"), Path.of("/etc/group"));
  }

  /** A fallback reading the given files (tests point it at fixtures). */
  public FallbackNativeOs(String why, Path passwdFile, Path groupFile) {
    this.why = why;
    this.passwd = new IdFile(passwdFile);
    this.group = new IdFile(groupFile);
  }

  @Override
  public Optional<String> userName(int uid) {
    return passwd.name(uid);
  }

  @Override
  public Optional<String> groupName(int gid) {
    return group.name(gid);
  }

  @Override
  public AuditStatusResult auditStatus() {
    return AuditStatusResult.unavailable("no native access (" + why + ")");
  }

  @Override
  public String description() {
    return "fallback (" + why + ")";
  }

  /** A colon-separated {@code name:password:id:...} file, indexed by the third field. */
  private static final class IdFile {
    private final Path path;
    private FileTime loadedMtime;
    private Map<Integer, String> names = Map.of();

    IdFile(Path path) {
      this.path = path;
    }

    synchronized Optional<String> name(int id) {
      try {
        FileTime mtime = Files.getLastModifiedTime(path);
        if (!mtime.equals(loadedMtime)) {
          names = parse(Files.readAllLines(path, StandardCharsets.UTF_8));
          loadedMtime = mtime;
        }
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        throw new NativeAccessException("cannot read " + path, e);
      }
      return Optional.ofNullable(names.get(id));
    }

    private static Map<Integer, String> parse(Iterable<String> lines) {
      Map<Integer, String> out = new HashMap<>();
      for (String line : lines) {
        if (line.isEmpty()
            || line.startsWith("#")
            || line.startsWith("+")
            || line.startsWith("-")) {
          continue; // comments and NIS compat entries carry no id of their own
        }
        String[] f = line.split(":", -1);
        if (f.length < 3 || f[0].isEmpty()) {
          continue;
        }
        try {
          // The first entry wins, as getpwuid does when two names share an id.
          out.putIfAbsent(Integer.parseUnsignedInt(f[2].trim()), f[0]);
        } catch (NumberFormatException e) {
          // A damaged line names nobody; skip it rather than lose the whole file.
        }
      }
      return out;
    }
  }
}
