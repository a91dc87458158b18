package io.ursprung.provd.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestAuthTest {
  private static final byte[] SECRET = "0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8);
  private final RequestAuth auth = new RequestAuth(SECRET);

  @Test
  void aSignedRequestVerifiesUnderTheSameChallenge() {
    ControlRequest r = ControlRequest.now("capture", 4711, "METRIC .*");
    String mac = auth.sign("challenge-1", r);
    assertTrue(auth.verify("challenge-1", r, mac));
  }

  @Test
  void anotherChallengeSecretOrFieldDoesNotVerify() {
    ControlRequest r = new ControlRequest("capture", 4711, "METRIC .*", 1000L, "n".repeat(20));
    String mac = auth.sign("challenge-1", r);
    assertFalse(auth.verify("challenge-2", r, mac), "replayed on a new connection");
    assertFalse(
        new RequestAuth("another-secret-0123456".getBytes(StandardCharsets.UTF_8))
            .verify("challenge-1", r, mac));
    assertFalse(
        auth.verify(
            "challenge-1",
            new ControlRequest("capture", 4712, "METRIC .*", 1000L, r.nonce()),
            mac));
    assertFalse(
        auth.verify(
            "challenge-1",
            new ControlRequest("capture", 4711, "METRIC .+", 1000L, r.nonce()),
            mac));
    assertFalse(
        auth.verify(
            "challenge-1", new ControlRequest("stop", 4711, "METRIC .*", 1000L, r.nonce()), mac));
    assertFalse(
        auth.verify(
            "challenge-1",
            new ControlRequest("capture", 4711, "METRIC .*", 1001L, r.nonce()),
            mac));
    assertFalse(auth.verify("challenge-1", r, null));
    assertFalse(auth.verify("challenge-1", r, "not base64 !!"));
  }

  @Test
  void fieldBoundariesCannotBeShifted() {
    // Without length prefixes "a" + "\n5" and "a\n" + "5" could sign the same bytes.
    ControlRequest a = new ControlRequest("capture", 1, "x;1:", 5L, "n".repeat(20));
    ControlRequest b = new ControlRequest("capture", 1, "x", 5L, "n".repeat(20));
    assertNotEquals(auth.sign("c", a), auth.sign("c", b));
  }

  @Test
  void shortSecretsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RequestAuth(new byte[8]));
  }

  @Test
  void noncesAreFreshAndLongEnough() {
    String n = RequestAuth.newNonce();
    assertNotEquals(n, RequestAuth.newNonce());
    assertEquals(44, n.length());
  }

  @Test
  void replayGuardRefusesReusedNoncesAndStaleTimestamps() {
    ReplayGuard g = new ReplayGuard(30_000, 100);
    String n1 = "nonce-0000000000000001";
    assertNull(g.check(1_000_000, n1, 1_000_500));
    assertNotNull(g.check(1_000_000, n1, 1_000_600), "same nonce again");
    assertTrue(g.check(1_000_000, "nonce-0000000000000002", 1_040_000).contains("ms off"));
    assertTrue(g.check(1_100_000, "nonce-0000000000000003", 1_040_000).contains("ms off"));
    assertNotNull(g.check(1_000_000, "short", 1_000_000));
    // After the window a nonce is forgotten, but its timestamp is then stale anyway.
    assertNotNull(g.check(1_000_000, n1, 1_100_000));
  }

  @Test
  void replayGuardFailsClosedWhenFull() {
    ReplayGuard g = new ReplayGuard(30_000, 2);
    assertNull(g.check(0, "nonce-00000000000000a1", 0));
    assertNull(g.check(0, "nonce-00000000000000a2", 0));
    assertNotNull(g.check(0, "nonce-00000000000000a3", 0));
    // Expired entries make room again.
    assertNull(g.check(40_000, "nonce-00000000000000a4", 40_000));
  }
}
