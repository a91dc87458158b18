package io.ursprung.provd.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {
  @TempDir Path dir;

  @Test
  void readsAPrivateFileWithoutSurroundingWhiteSpace() throws Exception {
    Path f = dir.resolve("s");
    Files.writeString(f, "  abcdefghijklmnopqrstuvwxyz\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertArrayEquals(
        "abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8), SecretFile.read(f));
  }

  @Test
  void refusesGroupOrOtherAccessShortSecretsAndMissingFiles() throws Exception {
    Path f = dir.resolve("s");
    Files.writeString(f, "abcdefghijklmnopqrstuvwxyz");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SecretFile.read(f));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());

    Files.writeString(f, "short");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
    e = assertThrows(IllegalArgumentException.class, () -> SecretFile.read(f));
    assertTrue(e.getMessage().contains("at least 16"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> SecretFile.read(dir.resolve("nope")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }
}
