package io.ursprung.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {

  private static void gzip(Path file, String... members) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      for (String m : members) {
        // Each member is a complete gzip stream: what `cat a.gz b.gz` produces.
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(one)) {
          gz.write(m.getBytes(StandardCharsets.UTF_8));
        }
        out.write(one.toByteArray());
      }
    }
  }

  private static String read(Path p) throws Exception {
    try (InputStream in = InputFiles.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void directoriesAreReadInRotationOrder(@TempDir Path dir) throws Exception {
    for (String name :
        List.of(
            "audit.log",
            "audit.log.1",
            "audit.log.2",
            "audit.log.10",
            "audit.log.3.gz",
            "notes.txt",
            ".hidden",
            "aaa.log")) {
      Files.writeString(dir.resolve(name), name + "\n");
    }
    Files.createDirectory(dir.resolve("subdir"));
    List<String> names =
        InputFiles.expand(List.of(dir)).stream().map(p -> p.getFileName().toString()).toList();
    assertEquals(
        List.of(
            "aaa.log",
            "audit.log.10",
            "audit.log.3.gz",
            "audit.log.2",
            "audit.log.1",
            "audit.log",
            "notes.txt"),
        names);
  }

  @Test
  void filesKeepTheGivenOrderAndMissingOnesAreReported(@TempDir Path dir) throws Exception {
    Path b = Files.writeString(dir.resolve("b"), "b\n");
    Path a = Files.writeString(dir.resolve("a"), "a\n");
    assertEquals(List.of(b, a), InputFiles.expand(List.of(b, a)));
    assertThrows(NoSuchFileException.class, () -> InputFiles.expand(List.of(dir.resolve("no"))));
  }

  @Test
  void gzipIsRecognisedByContentIncludingMultiMemberFiles(@TempDir Path dir) throws Exception {
    Path plain = Files.writeString(dir.resolve("audit.log.gz"), "not compressed\n");
    assertEquals("not compressed\n", read(plain));
    Path gz = dir.resolve("audit.log.1");
    gzip(gz, "type=SYSCALL one\n", "type=EOE two\n");
    assertEquals("type=SYSCALL one\ntype=EOE two\n", read(gz));
  }
}
