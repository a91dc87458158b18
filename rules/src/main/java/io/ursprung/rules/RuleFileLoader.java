package io.ursprung.rules;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Loads a rule file: reads it as UTF-8, parses it, runs the {@link RuleValidator}s. All or nothing:
 * any error rejects the file, and the exception lists every error.
 */
public final class RuleFileLoader {
  private final List<RuleValidator> validators;

  /** A loader that runs {@code validators} after parsing. */
  public RuleFileLoader(List<RuleValidator> validators) {
    this.validators = List.copyOf(validators);
  }

  /** A loader without validators. */
  public RuleFileLoader() {
    this(List.of());
  }

  /**
   * Loads {@code path}; messages name the file by {@code path.getFileName()}.
   *
   * @throws RuleFileException the file is unreadable, not UTF-8, or has errors
   */
  public RuleSet load(Path path) throws RuleFileException {
    String name = String.valueOf(path.getFileName());
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path)))
              .toString();
    } catch (CharacterCodingException e) {
      throw new RuleFileException(
          List.of(new RuleError(name, 1, 1, "the rule file is not valid UTF-8")));
    } catch (IOException e) {
      throw new RuleFileException(
          List.of(new RuleError(name, 1, 1, "cannot read the rule file: " + e)));
    }
    return load(name, text);
  }

  /** Parses and validates rule text. */
  public RuleSet load(String name, String text) throws RuleFileException {
    RuleSet rules = RuleParser.parse(name, text);
    List<RuleError> errors = new ArrayList<>();
    for (RuleValidator validator : validators) {
      errors.addAll(validator.validate(rules));
    }
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparingInt(RuleError::line).thenComparingInt(RuleError::column));
      throw new RuleFileException(errors);
    }
    return rules;
  }
}
