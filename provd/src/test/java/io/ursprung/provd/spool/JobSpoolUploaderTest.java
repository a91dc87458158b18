package io.ursprung.provd.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.JobLifecycle;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ownership rule and the delete-after-acknowledge rule, with files owned by whoever runs the
 * test: user "me" resolves to that uid, "other" to another one.
 */
class JobSpoolUploaderTest {
  @TempDir Path spool;

  private int myUid;
  private final List<ProvEvent> published = new ArrayList<>();
  private boolean brokerDown;

  private final JobPublisher publisher =
      e -> {
        if (brokerDown) {
          return CompletableFuture.failedFuture(new RuntimeException("broker unreachable"));
        }
        published.add(e);
        return CompletableFuture.completedFuture(null);
      };

  @BeforeEach
  void uid() throws Exception {
    myUid = (Integer) Files.getAttribute(spool, "unix:uid");
  }

  private JobSpoolUploader uploader(Set<Integer> trusted) throws Exception {
    UserResolver users =
        name ->
            switch (name) {
              case "me" -> OptionalInt.of(myUid);
              case "other" -> OptionalInt.of(myUid + 4242);
              default -> OptionalInt.empty();
            };
    JobSpoolUploader u =
        new JobSpoolUploader(
            spool, users, trusted, publisher, "worker01", new Producer("t", "1"), 1000);
    Files.createDirectories(spool.resolve("rejected"));
    return u;
  }

  private static String record(String user, String stage) {
    return "{\"format\":\"ursprung-job-record\",\"version\":1,\"jobId\":\"c1:slurm:4711\","
        + "\"stage\":\""
        + stage
        + "\",\"user\":\""
        + user
        + "\",\"time\":\"2026-11-20T09:14:03.512Z\","
        + "\"attributes\":{\"localJobId\":\"4711\",\"queue\":\"gpu\"}}";
  }

  @Test
  void aRecordOwnedByItsUserIsPublishedThenDeleted() throws Exception {
    Path f = Files.writeString(spool.resolve("a.json"), record("me", "queued"));
    Map<String, JobSpoolUploader.Outcome> out = uploader(Set.of()).scan();
    assertEquals(JobSpoolUploader.Outcome.UPLOADED, out.get("a.json"));
    assertFalse(Files.exists(f));
    assertEquals(1, published.size());
    ProvEvent e = published.get(0);
    assertEquals("worker01", e.host());
    assertEquals(Instant.parse("2026-11-20T09:14:03.512Z"), e.time());
    JobLifecycle j = (JobLifecycle) e.data();
    assertEquals("c1:slurm:4711", j.jobId());
    assertEquals("queued", j.stage());
    assertEquals("me", j.user());
    assertEquals(Map.of("localJobId", "4711", "queue", "gpu"), j.attributes());
    assertTrue(e.id().startsWith("worker01:job:c1:slurm:4711:queued:"), e.id());
  }

  @Test
  void theSameContentAlwaysGivesTheSameEventId() throws Exception {
    JobSpoolUploader u = uploader(Set.of());
    Files.writeString(spool.resolve("a.json"), record("me", "started"));
    u.scan();
    Files.writeString(spool.resolve("b.json"), record("me", "started"));
    u.scan();
    assertEquals(published.get(0).id(), published.get(1).id());
  }

  @Test
  void aRecordNamingAnotherUserIsRejectedWithItsReason() throws Exception {
    Path f = Files.writeString(spool.resolve("forged.json"), record("other", "finished"));
    Map<String, JobSpoolUploader.Outcome> out = uploader(Set.of()).scan();
    assertEquals(JobSpoolUploader.Outcome.REJECTED, out.get("forged.json"));
    assertFalse(Files.exists(f));
    assertTrue(published.isEmpty());
    assertTrue(Files.exists(spool.resolve("rejected/forged.json")));
    String reason = Files.readString(spool.resolve("rejected/forged.json.reason"));
    assertTrue(reason.contains("owner mismatch"), reason);
    assertTrue(reason.contains("uid " + myUid), reason);
  }

  @Test
  void aTrustedAccountMayNameAnyUser() throws Exception {
    Files.writeString(spool.resolve("epilog.json"), record("other", "finished"));
    assertEquals(
        JobSpoolUploader.Outcome.UPLOADED, uploader(Set.of(myUid)).scan().get("epilog.json"));
  }

  @Test
  void unknownUsersSymlinksAndOldGarbageAreRejected() throws Exception {
    Files.writeString(spool.resolve("ghost.json"), record("nobody-here", "queued"));
    Path target = Files.writeString(spool.resolve("target.txt"), record("me", "queued"));
    Files.createSymbolicLink(spool.resolve("link.json"), target);
    Path garbage = Files.writeString(spool.resolve("garbage.json"), "{\"format\":");
    Files.setLastModifiedTime(garbage, FileTime.from(Instant.now().minusSeconds(60)));
    Map<String, JobSpoolUploader.Outcome> out = uploader(Set.of()).scan();
    assertEquals(JobSpoolUploader.Outcome.REJECTED, out.get("ghost.json"));
    assertEquals(JobSpoolUploader.Outcome.REJECTED, out.get("link.json"));
    assertEquals(JobSpoolUploader.Outcome.REJECTED, out.get("garbage.json"));
    assertTrue(published.isEmpty());
    assertTrue(Files.exists(target), "the link's target is left alone");
  }

  @Test
  void aFreshIncompleteFileIsLeftForLater() throws Exception {
    Path f = Files.writeString(spool.resolve("half.json"), "{\"format\":");
    assertEquals(JobSpoolUploader.Outcome.RETRY, uploader(Set.of()).scan().get("half.json"));
    assertTrue(Files.exists(f));
  }

  @Test
  void nothingIsDeletedWithoutAnAcknowledgement() throws Exception {
    Path f = Files.writeString(spool.resolve("a.json"), record("me", "queued"));
    JobSpoolUploader u = uploader(Set.of());
    brokerDown = true;
    assertEquals(JobSpoolUploader.Outcome.RETRY, u.scan().get("a.json"));
    assertTrue(Files.exists(f));
    brokerDown = false;
    assertEquals(JobSpoolUploader.Outcome.UPLOADED, u.scan().get("a.json"));
    assertFalse(Files.exists(f));
  }

  @Test
  void hiddenAndTemporaryFilesAreIgnored() throws Exception {
    Files.writeString(spool.resolve(".a.json"), record("me", "queued"));
    Files.writeString(spool.resolve("a.json.tmp"), record("me", "queued"));
    assertTrue(uploader(Set.of()).scan().isEmpty());
  }

  @Test
  void recordValidationListsEveryProblem() {
    JobRecord.InvalidRecordException e =
        assertThrows(
            JobRecord.InvalidRecordException.class,
            () ->
                JobRecord.parse(
                    ("{\"format\":\"x\",\"version\":2,\"stage\":\"done\",\"user\":\"a b\","
                            + "\"time\":\"yesterday\",\"attributes\":{\"n\":1}}")
                        .getBytes()));
    for (String expected :
        List.of(
            "format",
            "version",
            "jobId",
            "stage must be one of",
            "user is not",
            "time must be",
            "attribute n")) {
      assertTrue(e.getMessage().contains(expected), expected + " in " + e.getMessage());
    }
  }
}
