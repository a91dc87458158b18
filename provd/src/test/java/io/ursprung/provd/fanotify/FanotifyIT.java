package io.ursprung.provd.fanotify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ursprung.provd.capture.ProcFs;
import io.ursprung.provd.nativeaccess.FanotifyFlags;
import io.ursprung.provd.nativeaccess.LinuxNative;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fanotify against real file operations of a non-root process (uid 65534 through {@code setpriv}),
 * on a tmpfs mounted for the test so that nothing else on the machine shows up.
 */
class FanotifyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PYTHON = "/usr/bin/python3";

  /** Creates, writes, reads, renames, makes a directory, deletes; prints its pid. */
  private static final String SCRIPT =
      String.join(
          "\n",
          "import os, sys",
          "d = sys.argv[1]",
          "a, b = os.path.join(d, 'a.txt'), os.path.join(d, 'b.txt')",
          "with open(a, 'w') as f: f.write('hello\\n')",
          "with open(a) as f: f.read()",
          "os.rename(a, b)",
          "os.mkdir(os.path.join(d, 'sub'))",
          "os.unlink(b)",
          "print(os.getpid(), flush=True)",
          "import time; time.sleep(0.5)  # stay alive so provd can read our uid");

  @TempDir Path tmp;
  private Path mnt;
  private FanotifyWatcher watcher;
  private final List<JsonNode> records = Collections.synchronizedList(new ArrayList<>());
  private final List<String> keys = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void requirements() throws Exception {
    assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs Linux");
    assumeTrue(
        "0"
            .equals(
                new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes())
                    .trim()),
        "needs root (CAP_SYS_ADMIN for fanotify, mount)");
    LinuxNative nat = LinuxNative.load();
    assumeTrue(nat.available(), "libc cannot be bound with jnr-ffi");
    try {
      nat.close(nat.fanotifyInit(FanotifyFlags.FAN_CLASS_NOTIF, 0));
    } catch (Exception e) {
      assumeTrue(false, "fanotify unavailable: " + e.getMessage());
    }
    assumeTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON);
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
  }

  @BeforeEach
  void mount() throws Exception {
    // uid 65534 must be able to reach the mount point through the (private) temp directory.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    mnt = Files.createDirectory(tmp.resolve("mnt"));
    Process p =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=8m,mode=0777", "tmpfs", mnt.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assumeTrue(p.waitFor() == 0, "cannot mount a tmpfs for the test: " + out);
    Files.setPosixFilePermissions(mnt, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  @AfterEach
  void unmount() throws Exception {
    if (watcher != null) {
      watcher.close();
    }
    new ProcessBuilder("umount", mnt.toString()).start().waitFor();
  }

  private void watch(Set<String> events) throws Exception {
    watcher =
        new FanotifyWatcher(
            LinuxNative.load(),
            new ProcFs(),
            List.of(mnt),
            events,
            "itnode",
            "itcluster",
            (host, json) -> {
              try {
                keys.add(host);
                records.add(JSON.readTree(json));
              } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
              }
            });
    watcher.start();
  }

  private JsonNode await(Predicate<JsonNode> p, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      synchronized (records) {
        for (JsonNode r : records) {
          if (p.test(r)) {
            return r;
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no record " + what + " in " + records);
  }

  private static Predicate<JsonNode> event(String event, Path path, long pid) {
    return r ->
        r.path("event").asText().equals(event)
            && r.path("path").asText().equals(path.toString())
            && r.path("processId").asText().equals(Long.toString(pid));
  }

  @Test
  void fileEventsOfANonRootUserCarryItsPidAndPathsAndRenamesPair() throws Exception {
    watch(FanotifyWatcher.EVENT_NAMES.keySet());
    // provd's own activity must not show up.
    Files.writeString(mnt.resolve("own.txt"), "provd itself\n");

    Process p =
        new ProcessBuilder(
                "/usr/bin/setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                PYTHON,
                "-c",
                SCRIPT,
                mnt.toString())
            .directory(mnt.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), out);
    long pid = p.pid(); // setpriv execs python: same process
    assertEquals(Long.toString(pid), out);

    Path a = mnt.resolve("a.txt");
    Path b = mnt.resolve("b.txt");
    JsonNode create = await(event("IN_CREATE", a, pid), "IN_CREATE a.txt");
    assertEquals("65534", create.path("clientUserId").asText());
    // Attributes are read when provd reads the event: the file may be gone by then (it is
    // deleted within milliseconds here), so they are the owner's or empty, never wrong.
    assertTrue(
        Set.of("", "65534").contains(create.path("ownerUserId").asText()), create.toString());
    assertEquals("itnode", create.path("nodeName").asText());
    assertEquals("itcluster", create.path("clusterName").asText());
    assertEquals(mnt.toString(), create.path("fsName").asText());
    await(event("IN_OPEN", a, pid), "IN_OPEN a.txt");
    await(event("IN_MODIFY", a, pid), "IN_MODIFY a.txt");
    JsonNode closeWrite = await(event("IN_CLOSE_WRITE", a, pid), "IN_CLOSE_WRITE a.txt");
    assertEquals(create.path("inode").asText(), closeWrite.path("inode").asText());
    await(event("IN_CLOSE_NOWRITE", a, pid), "IN_CLOSE_NOWRITE a.txt");
    JsonNode from = await(event("IN_MOVED_FROM", a, pid), "IN_MOVED_FROM a.txt");
    JsonNode to = await(event("IN_MOVED_TO", b, pid), "IN_MOVED_TO b.txt");
    assertNotEquals("0", from.path("cookie").asText());
    assertEquals(from.path("cookie").asText(), to.path("cookie").asText(), "rename pairs");
    assertEquals(create.path("inode").asText(), to.path("inode").asText());
    await(event("IN_CREATE IN_ISDIR", mnt.resolve("sub"), pid), "mkdir sub");
    JsonNode delete = await(event("IN_DELETE", b, pid), "IN_DELETE b.txt");
    assertEquals(create.path("inode").asText(), delete.path("inode").asText());

    synchronized (records) {
      for (JsonNode r : records) {
        assertTrue(!r.path("path").asText().endsWith("own.txt"), "own event leaked: " + r);
        assertEquals(Long.toString(pid), r.path("processId").asText(), r.toString());
        assertTrue(r.path("inode").isTextual() && r.path("mask").isTextual(), r.toString());
      }
    }
    assertTrue(keys.stream().allMatch("itnode"::equals));
    assertTrue(watcher.ownEventsSkipped.get() > 0, "own events were seen and dropped");
    // The kernel here supports FAN_RENAME (5.17+) or the ordering fallback; both must pair.
    assertTrue(Set.of("rename", "moved").contains(watcher.dirMode()), watcher.dirMode());
  }

  @Test
  void onlySelectedEventsAreReported() throws Exception {
    watch(Set.of("close_write"));
    Process p =
        new ProcessBuilder(
                "/usr/bin/setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                PYTHON,
                "-c",
                SCRIPT,
                mnt.toString())
            .directory(mnt.toFile())
            .start();
    p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor());
    await(event("IN_CLOSE_WRITE", mnt.resolve("a.txt"), p.pid()), "IN_CLOSE_WRITE");
    Thread.sleep(300);
    synchronized (records) {
      for (JsonNode r : records) {
        assertEquals("IN_CLOSE_WRITE", r.path("event").asText(), r.toString());
      }
    }
    assertEquals("on", watcher.dirMode(), "names reported, no moves asked for");
  }
}
