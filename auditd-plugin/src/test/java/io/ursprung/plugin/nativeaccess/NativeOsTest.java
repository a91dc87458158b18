package io.ursprung.plugin.nativeaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeOsTest {

  /** An id no test system assigns. */
  private static final int UNUSED_ID = 1_987_654_321;

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assumeTrue(p.exitValue() == 0, String.join(" ", cmd) + " failed: " + out);
    return out;
  }

  @Test
  void libcResolvesRootAndTheCurrentUserLikeId() throws Exception {
    NativeOs os = NativeOs.load();
    assumeTrue(os.description().equals("libc"), "libc not bound: " + os.description());
    assertEquals(Optional.of(run("id", "-nu", "0")), os.userName(0));
    int me = Integer.parseInt(run("id", "-u"));
    assertEquals(Optional.of(run("id", "-nu")), os.userName(me));
    int myGroup = Integer.parseInt(run("id", "-g"));
    assertEquals(Optional.of(run("id", "-ng")), os.groupName(myGroup));
    assertEquals(Optional.empty(), os.userName(UNUSED_ID));
    assertEquals(Optional.empty(), os.groupName(UNUSED_ID));
    // audit's "unset" id (4294967295) is a valid argument and names nobody.
    assertEquals(Optional.empty(), os.userName(-1));
  }

  @Test
  void fallbackAgreesWithLibcForRoot() throws Exception {
    NativeOs fallback = NativeOs.fallback();
    assertEquals(Optional.of(run("id", "-nu", "0")), fallback.userName(0));
    assertTrue(fallback.groupName(0).isPresent());
    NativeOs os = NativeOs.load();
    assertEquals(os.groupName(0), fallback.groupName(0));
    assertFalse(fallback.auditStatus().status().isPresent());
    assertTrue(fallback.auditStatus().reason().contains("no native access"));
  }

  @Test
  void fallbackParsesItsFilesAndRereadsThemWhenChanged(@TempDir Path dir) throws Exception {
    Path passwd = dir.resolve("passwd");
    Path group = dir.resolve("group");
    Files.writeString(
        passwd,
        "# comment\nroot:x:0:0:root:/root:/bin/bash\n+nis\nbroken\nbob:x:1001:1001::/home/bob:/bin/sh\n"
            + "bobby:x:1001:1001::/home/bob:/bin/sh\nodd:x:notanumber:1::/:/bin/false\n");
    Files.writeString(group, "root:x:0:\nusers:x:100:bob,alice\n");
    FallbackNativeOs os = new FallbackNativeOs("test", passwd, group);
    assertEquals(Optional.of("root"), os.userName(0));
    assertEquals(Optional.of("bob"), os.userName(1001));
    assertEquals(Optional.empty(), os.userName(1002));
    assertEquals(Optional.of("users"), os.groupName(100));

    Files.writeString(passwd, "alice:x:1002:100::/home/alice:/bin/sh\n");
    Files.setLastModifiedTime(passwd, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertEquals(Optional.of("alice"), os.userName(1002));
    assertEquals(Optional.empty(), os.userName(1001));

    FallbackNativeOs missing =
        new FallbackNativeOs("test", dir.resolve("nope"), dir.resolve("nope2"));
    assertEquals(Optional.empty(), missing.userName(0));
  }

  @Test
  void auditStatusWhenRootElseSkipped() throws Exception {
    assumeTrue("0".equals(run("id", "-u")), "needs root (CAP_AUDIT_CONTROL) for AUDIT_GET");
    NativeOs os = NativeOs.load();
    AuditStatusResult result = os.auditStatus();
    assumeTrue(
        result.status().isPresent(),
        "the kernel does not give this process the audit status: " + result.reason());
    AuditStatus s = result.status().get();
    assertTrue(s.enabled() >= 0 && s.enabled() <= 2, s.toString());
    assertTrue(s.failure() <= 2, s.toString());
    assertTrue(s.lost() >= 0 && s.backlog() >= 0, s.toString());
  }

  @Test
  void unavailableStatusAlwaysCarriesAReason() {
    AuditStatusResult r = AuditStatusResult.unavailable("why");
    assertEquals("why", r.reason());
    assertTrue(r.status().isEmpty());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> AuditStatusResult.unavailable(" "));
  }
}
