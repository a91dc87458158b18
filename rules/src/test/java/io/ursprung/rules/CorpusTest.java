package io.ursprung.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the rule corpus: every {@code valid/*.rules} parses to the rules listed in its {@code
 * .normalized} sidecar (one normalized rule per line), and every {@code invalid/*.rules} is
 * rejected with exactly the lines of its {@code .expected} sidecar.
 */
class CorpusTest {

  static Stream<Path> valid() throws Exception {
    return files("valid");
  }

  static Stream<Path> invalid() throws Exception {
    return files("invalid");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validFileParsesToItsNormalizedRules(Path file) throws Exception {
    RuleSet rules = new RuleFileLoader().load(file);
    List<String> expected = lines(sidecar(file, ".normalized"));
    List<String> actual = rules.rules().stream().map(Rule::normalizedText).toList();
    assertEquals(String.join("\n", expected), String.join("\n", actual));

    // The normalized form is itself a valid rule file with the same rules and ids.
    RuleSet again = RuleParser.parse("normalized", String.join("\n", actual));
    assertEquals(
        rules.rules().stream().map(Rule::id).toList(),
        again.rules().stream().map(Rule::id).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidFileIsRejectedWithEveryExpectedError(Path file) throws Exception {
    RuleFileException e =
        assertThrows(RuleFileException.class, () -> new RuleFileLoader().load(file));
    List<String> expected = lines(sidecar(file, ".expected"));
    assertFalse(expected.isEmpty(), "an .expected sidecar lists at least one error");
    String actual = e.errors().stream().map(RuleError::toString).collect(Collectors.joining("\n"));
    assertEquals(String.join("\n", expected), actual);
    assertTrue(e.getMessage().contains(expected.get(0)), e.getMessage());
  }

  private static Stream<Path> files(String dir) throws IOException, URISyntaxException {
    Path root = Path.of(CorpusTest.class.getResource("/corpus/" + dir).toURI());
    try (Stream<Path> s = Files.list(root)) {
      List<Path> all = s.filter(p -> p.toString().endsWith(".rules")).sorted().toList();
      if (all.isEmpty()) {
        throw new IllegalStateException("no rule files under " + root);
      }
      return all.stream();
    }
  }

  private static Path sidecar(Path rules, String suffix) {
    String name = rules.getFileName().toString();
    return rules.resolveSibling(name.substring(0, name.length() - ".rules".length()) + suffix);
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank())
        .toList();
  }
}
