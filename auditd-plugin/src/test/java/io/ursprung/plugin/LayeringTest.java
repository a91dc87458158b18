package io.ursprung.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only the native access package may talk to jnr-ffi (STYLE.md: native access behind one
 * interface).
 */
class LayeringTest {

  @Test
  void onlyNativeAccessImportsJnr() throws IOException {
    Path src = Path.of("src/main/java");
    assertTrue(Files.isDirectory(src), "run from the module directory");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(src)) {
      offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> !p.toString().contains("/io/ursprung/plugin/nativeaccess/"))
              .filter(
                  p -> {
                    try {
                      return Files.readString(p).contains("import jnr.");
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .map(Path::toString)
              .toList();
    }
    assertEquals(List.of(), offenders);
  }
}
