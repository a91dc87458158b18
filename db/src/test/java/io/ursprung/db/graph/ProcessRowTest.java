package io.ursprung.db.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge rules give the same row whatever order and however often events are applied. */
class ProcessRowTest {
  static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

  static ProcessRow start() {
    return new ProcessRow("h", 5, T).started("fork", 1, T.minusSeconds(9), 1);
  }

  static ProcessRow exec() {
    return new ProcessRow("h", 5, T)
        .program(
            T.plusSeconds(1),
            "/bin/cat",
            List.of("cat", "x"),
            "/w",
            1001,
            1001,
            null,
            null,
            null,
            "bob",
            null,
            null);
  }

  static ProcessRow inherited() {
    return new ProcessRow("h", 5, T)
        .program(
            T, "/bin/bash", List.of("bash"), "/w", 1001, 1001, null, null, null, "bob", null, null);
  }

  static ProcessRow inferredExit() {
    return new ProcessRow("h", 5, T).exited(T.plusSeconds(5), null, null, "pid-reused");
  }

  static ProcessRow recordedExit() {
    return new ProcessRow("h", 5, T).exited(T.plusSeconds(2), 3, null, "exit_group");
  }

  static String render(ProcessRow r) {
    return r.startHow
        + r.parentPid
        + r.exe
        + r.argv
        + r.factsTime
        + r.endTime
        + r.exitCode
        + r.exitHow;
  }

  @Test
  void orderDoesNotMatter() {
    String forward =
        render(
            start().merge(inherited()).merge(exec()).merge(recordedExit()).merge(inferredExit()));
    String backward =
        render(
            inferredExit().merge(recordedExit()).merge(exec()).merge(inherited()).merge(start()));
    assertEquals(forward, backward);
    ProcessRow r = exec().merge(inherited());
    assertEquals("/bin/cat", r.exe());
    assertEquals(3, recordedExit().merge(inferredExit()).exitCode());
  }

  @Test
  void aSigkillSeenBeingSentIsARecordedEnd() {
    ProcessRow killed = new ProcessRow("h", 5, T).exited(T.plusSeconds(3), null, 9, "killed");
    assertEquals("killed", killed.merge(inferredExit()).exitHow);
    assertEquals("killed", inferredExit().merge(killed).exitHow);
    assertEquals(9, inferredExit().merge(killed).signal);
  }

  @Test
  void applyingTwiceChangesNothing() {
    ProcessRow once = start().merge(exec()).merge(recordedExit());
    ProcessRow twice = start().merge(exec()).merge(recordedExit()).merge(exec()).merge(start());
    assertEquals(render(once), render(twice));
  }

  @Test
  void pathInodeIsStable() {
    assertEquals(Rows.pathInode("/a/b"), Rows.pathInode("/a/b"));
    assertEquals(Rows.PATH_FS, Rows.FileKey.of("h", null, null, "/a/b").fs());
  }
}
