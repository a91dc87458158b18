package io.ursprung.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A rule's identity: the first 128 bits of the SHA-256 of its normalized text (see {@link
 * Rule#normalizedText()}), in hex.
 *
 * <p>Action state (log offsets, transfer high-water marks) is keyed by this id, so it must survive
 * what does not change a rule's meaning: white space, line continuations, comments, quoting,
 * redundant parentheses, {@code &} for {@code &&}. Changing what a rule does gives it a new id and
 * therefore fresh state, which is the point.
 */
public record RuleId(String hex) {
  public RuleId {
    Objects.requireNonNull(hex, "hex");
    if (!hex.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("a rule id is 32 lower-case hex digits: " + hex);
    }
  }

  /** The id of a normalized rule text. */
  public static RuleId of(String normalizedText) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(normalizedText.getBytes(StandardCharsets.UTF_8));
      return new RuleId(HexFormat.of().formatHex(digest, 0, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return hex;
  }
}
