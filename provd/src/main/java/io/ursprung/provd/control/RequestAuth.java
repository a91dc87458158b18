package io.ursprung.provd.control;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies control requests with HMAC-SHA256 over the server's challenge and the
 * request's fields.
 *
 * <p>The signed bytes are the server nonce followed by each field as {@code <length>:<value>;}
 * (lengths in UTF-8 bytes), so that no two different requests sign the same bytes however their
 * text is chosen — a regular expression may contain any character, newlines included.
 */
public final class RequestAuth {
  /** Minimum secret length in bytes. */
  public static final int MIN_SECRET_BYTES = 16;

  private static final String ALGORITHM = "HmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public RequestAuth(byte[] secret) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the shared secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
  }

  /** A fresh random nonce, Base64 (32 random bytes). */
  public static String newNonce() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }

  /** The MAC of a request, Base64. */
  public String sign(String serverNonce, ControlRequest r) {
    return Base64.getEncoder().encodeToString(mac(serverNonce, r));
  }

  /** Whether {@code mac} is right for the request, compared in constant time. */
  public boolean verify(String serverNonce, ControlRequest r, String mac) {
    if (mac == null) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(mac);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(serverNonce, r), given);
  }

  private byte[] mac(String serverNonce, ControlRequest r) {
    try {
      Mac m = Mac.getInstance(ALGORITHM);
      m.init(key);
      m.update(serverNonce.getBytes(StandardCharsets.UTF_8));
      field(m, "ursprung-provd-1");
      field(m, r.op());
      field(m, Integer.toString(r.pid()));
      field(m, r.regex() == null ? "" : r.regex());
      field(m, Long.toString(r.timestamp()));
      field(m, r.nonce());
      return m.doFinal();
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private static void field(Mac m, String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    m.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
    m.update(b);
    m.update((byte) ';');
  }
}
