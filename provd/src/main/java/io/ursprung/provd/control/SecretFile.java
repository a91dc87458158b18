package io.ursprung.provd.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Reads the control port's shared secret from a file only its owner can read. */
public final class SecretFile {
  private static final Set<PosixFilePermission> GROUP_OR_OTHER =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private SecretFile() {}

  /**
   * The secret: the file's content without surrounding white space.
   *
   * @throws IllegalArgumentException saying what is wrong: missing, readable by group or others
   *     (mode must be 0600 or 0400), or shorter than {@link RequestAuth#MIN_SECRET_BYTES}
   */
  public static byte[] read(Path file) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(
          "secret file "
              + file
              + " does not exist (create it: head -c 32 /dev/urandom | base64 > "
              + file
              + "; chmod 600 "
              + file
              + ")");
    } catch (IOException | UnsupportedOperationException e) {
      throw new IllegalArgumentException("cannot read secret file " + file + ": " + e);
    }
    Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
    loose.addAll(perms);
    loose.retainAll(GROUP_OR_OTHER);
    if (!loose.isEmpty()) {
      throw new IllegalArgumentException(
          "secret file "
              + file
              + " is accessible by group or others ("
              + java.nio.file.attribute.PosixFilePermissions.toString(perms)
              + "); run chmod 600 "
              + file);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read secret file " + file + ": " + e);
    }
    byte[] secret = text.getBytes(StandardCharsets.UTF_8);
    if (secret.length < RequestAuth.MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "secret file "
              + file
              + " holds "
              + secret.length
              + " bytes; at least "
              + RequestAuth.MIN_SECRET_BYTES
              + " are needed");
    }
    return secret;
  }
}
