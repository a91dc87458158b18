package io.ursprung.db.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with PBKDF2-HMAC-SHA256 from the JDK, a random 16-byte salt per password and a
 * high iteration count. The stored text carries the iteration count, so raising it later only
 * affects new passwords and old hashes still verify.
 *
 * <p>Format: {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, salt and hash in base64.
 */
public final class PasswordHasher {

  /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 600_000;

  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private final int iterations;
  private final SecureRandom random = new SecureRandom();
  // Verified against when a user does not exist, so that an unknown name costs as much time as a
  // wrong password and response times do not reveal which names exist.
  private final String decoy;

  /** A hasher producing new hashes with {@code iterations} rounds (at least 1,000). */
  public PasswordHasher(int iterations) {
    if (iterations < 1_000) {
      throw new IllegalArgumentException("at least 1000 iterations");
    }
    this.iterations = iterations;
    this.decoy = hash("decoy password that matches nothing".toCharArray());
  }

  /** Hashes a new password. */
  public String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] h = derive(password, salt, iterations);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
  }

  /**
   * Whether {@code password} matches {@code stored}; a malformed or null stored value never does.
   */
  public boolean verify(char[] password, String stored) {
    if (stored == null) {
      verify(password, decoy);
      return false;
    }
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    try {
      int n = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      byte[] actual = derive(password, salt, n);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Spends the time of one verification without a stored hash (unknown user names). */
  public void burn(char[] password) {
    verify(password, decoy);
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
      // Every Java SE implementation must provide PBKDF2WithHmacSHA256.
      throw new IllegalStateException(e);
    } finally {
      spec.clearPassword();
    }
  }

  /** Overwrites a password buffer once it is no longer needed. */
  public static void wipe(char[] password) {
    if (password != null) {
      Arrays.fill(password, '\0');
    }
  }
}
