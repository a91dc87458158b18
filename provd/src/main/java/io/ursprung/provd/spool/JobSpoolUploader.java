package io.ursprung.provd.spool;

import io.ursprung.events.JobLifecycle;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads job records from the spool directory.
 *
 * <p>The spool is writable by every user (mode 1733: sticky, so nobody can remove another user's
 * file), which is why nothing in a record is believed until the file's owner matches: a record
 * naming user {@code alice} is published only if the file belongs to alice's uid, or to a
 * configured trusted account (the resource manager's prolog/epilog user). Symbolic links, hard
 * links and files that change while being read are not accepted.
 *
 * <p>A file is deleted only after Kafka acknowledged its event, so a crash or a broker outage
 * re-publishes rather than loses; the event id is derived from the file's content, so a
 * re-published record is the same event to the consumer. Refused files move to {@code rejected/}
 * beside a {@code .reason} file and are logged; they are never published.
 */
public final class JobSpoolUploader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobSpoolUploader.class);

  /** Largest record file accepted. */
  public static final long MAX_BYTES = 1 << 20;

  /** A file that is not yet valid JSON may still be being written, for this long. */
  private static final Duration SETTLE = Duration.ofSeconds(10);

  private static final long ACK_TIMEOUT_SECONDS = 60;

  private final Path spool;
  private final Path rejected;
  private final UserResolver users;
  private final Set<Integer> trustedUids;
  private final JobPublisher publisher;
  private final String host;
  private final Producer producer;
  private final long rescanMillis;
  private volatile boolean running;
  private Thread thread;

  /** Counters for the metrics log. */
  public final AtomicLong uploaded = new AtomicLong();

  public final AtomicLong rejectedCount = new AtomicLong();
  public final AtomicLong publishFailures = new AtomicLong();

  public JobSpoolUploader(
      Path spool,
      UserResolver users,
      Set<Integer> trustedUids,
      JobPublisher publisher,
      String host,
      Producer producer,
      long rescanMillis) {
    this.spool = spool;
    this.rejected = spool.resolve("rejected");
    this.users = users;
    this.trustedUids = Set.copyOf(trustedUids);
    this.publisher = publisher;
    this.host = host;
    this.producer = producer;
    this.rescanMillis = rescanMillis;
  }

  /** What happened to one file in a scan. */
  public enum Outcome {
    UPLOADED,
    REJECTED,
    /** left for a later scan: not settled yet, or Kafka did not acknowledge */
    RETRY,
    /** not a record file (temporary, hidden), or gone */
    IGNORED
  }

  /** Creates the spool and rejected directories when missing and starts watching. */
  public void start() throws IOException {
    Files.createDirectories(spool);
    if (!Files.isDirectory(rejected)) {
      Files.createDirectories(
          rejected,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    int mode = (Integer) Files.getAttribute(spool, "unix:mode");
    if ((mode & 01000) == 0) {
      LOG.warn(
          "spool {} is not sticky (mode {}): users could remove each other's records;"
              + " chmod 1733 {}",
          spool,
          Integer.toOctalString(mode & 07777),
          spool);
    }
    running = true;
    thread = new Thread(this::loop, "job-spool");
    thread.setDaemon(true);
    thread.start();
    LOG.info("job spool uploader watching {}", spool);
  }

  private void loop() {
    try (WatchService ws = FileSystems.getDefault().newWatchService()) {
      spool.register(
          ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      while (running) {
        scan();
        // A watch event shortens the wait; the periodic rescan covers missed events and retries.
        var key = ws.poll(rescanMillis, TimeUnit.MILLISECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.error("job spool uploader stopped: {}", e.toString(), e);
    }
  }

  /**
   * Processes every record file once: verifies, publishes all, waits for the acknowledgements,
   * deletes the acknowledged ones.
   *
   * @return the outcome per file name
   */
  public synchronized Map<String, Outcome> scan() {
    Map<String, Outcome> outcomes = new java.util.TreeMap<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(spool, "*.json")) {
      for (Path p : ds) {
        if (!p.getFileName().toString().startsWith(".")) {
          files.add(p);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list spool {}: {}", spool, e.toString());
      return outcomes;
    }
    files.sort(null);
    List<Path> sentFiles = new ArrayList<>();
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (Path f : files) {
      Checked c = check(f);
      switch (c.outcome()) {
        case REJECTED -> {
          reject(f, c.reason());
          outcomes.put(f.getFileName().toString(), Outcome.REJECTED);
        }
        case UPLOADED -> {
          sentFiles.add(f);
          acks.add(publisher.publish(c.event()));
        }
        default -> outcomes.put(f.getFileName().toString(), c.outcome());
      }
    }
    for (int i = 0; i < sentFiles.size(); i++) {
      Path f = sentFiles.get(i);
      String name = f.getFileName().toString();
      try {
        acks.get(i).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        publishFailures.incrementAndGet();
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        LOG.warn("job record {} not acknowledged, will retry: {}", name, String.valueOf(cause));
        outcomes.put(name, Outcome.RETRY);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcomes.put(name, Outcome.RETRY);
        continue;
      }
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        LOG.warn("job record {} published but not deleted: {}", name, e.toString());
      }
      uploaded.incrementAndGet();
      outcomes.put(name, Outcome.UPLOADED);
    }
    return outcomes;
  }

  private record Checked(Outcome outcome, String reason, ProvEvent event) {}

  private Checked check(Path f) {
    Map<String, Object> before;
    try {
      before = Files.readAttributes(f, "unix:*", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return new Checked(Outcome.IGNORED, null, null);
    } catch (IOException e) {
      return new Checked(Outcome.RETRY, e.toString(), null);
    }
    if (Boolean.TRUE.equals(before.get("isSymbolicLink"))
        || !Boolean.TRUE.equals(before.get("isRegularFile"))) {
      return new Checked(Outcome.REJECTED, "not a regular file (symbolic link?)", null);
    }
    if (((Number) before.get("nlink")).intValue() != 1) {
      return new Checked(Outcome.REJECTED, "has more than one hard link", null);
    }
    long size = (Long) before.get("size");
    if (size > MAX_BYTES) {
      return new Checked(Outcome.REJECTED, "larger than " + MAX_BYTES + " bytes", null);
    }
    byte[] bytes;
    try (InputStream in =
        Files.newInputStream(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes((int) MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return new Checked(Outcome.IGNORED, null, null);
    } catch (IOException e) {
      return new Checked(Outcome.RETRY, e.toString(), null);
    }
    Map<String, Object> after;
    try {
      after = Files.readAttributes(f, "unix:*", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return new Checked(Outcome.IGNORED, null, null);
    }
    // The owner check is only meaningful for the bytes actually read: same inode, same content.
    if (!Objects.equals(before.get("ino"), after.get("ino"))
        || !Objects.equals(before.get("dev"), after.get("dev"))
        || !Objects.equals(before.get("uid"), after.get("uid"))
        || !Objects.equals(before.get("lastModifiedTime"), after.get("lastModifiedTime"))
        || (Long) after.get("size") != bytes.length) {
      return new Checked(Outcome.RETRY, "changed while being read", null);
    }
    int owner = (Integer) after.get("uid");
    JobRecord record;
    try {
      record = JobRecord.parse(bytes);
    } catch (JobRecord.InvalidRecordException e) {
      Instant mtime = ((FileTime) after.get("lastModifiedTime")).toInstant();
      if (Instant.now().minus(SETTLE).isBefore(mtime)) {
        return new Checked(Outcome.RETRY, "not settled", null);
      }
      return new Checked(Outcome.REJECTED, "invalid record: " + e.getMessage(), null);
    }
    OptionalInt uid;
    try {
      uid = users.uidOf(record.user());
    } catch (Exception e) {
      // The directory service may be down: that is no reason to refuse the record for good.
      LOG.warn("cannot resolve user {}: {}", record.user(), e.toString());
      return new Checked(Outcome.RETRY, "user look-up failed", null);
    }
    if (uid.isEmpty()) {
      return new Checked(Outcome.REJECTED, "names unknown user '" + record.user() + "'", null);
    }
    if (uid.getAsInt() != owner && !trustedUids.contains(owner)) {
      return new Checked(
          Outcome.REJECTED,
          "owner mismatch: file is owned by uid "
              + owner
              + " but names user '"
              + record.user()
              + "' (uid "
              + uid.getAsInt()
              + ")",
          null);
    }
    if (record.stage().equals(JobRecord.ACCOUNTING) && !trustedUids.contains(owner)) {
      // Accounting is the resource manager's word on CPU and time; a job's owner must not be
      // able to supply their own.
      return new Checked(
          Outcome.REJECTED,
          "accounting records are accepted only from trusted accounts"
              + " (provd.spool.trusted.users); file is owned by uid "
              + owner,
          null);
    }
    return new Checked(Outcome.UPLOADED, null, toEvent(record, bytes));
  }

  /** The event of a verified record. Its id depends only on host and content. */
  ProvEvent toEvent(JobRecord r, byte[] bytes) {
    String id = host + ":job:" + r.jobId() + ":" + r.stage() + ":" + sha256(bytes).substring(0, 16);
    return ProvEvent.of(
        id,
        producer,
        host,
        r.time(),
        new JobLifecycle(r.jobId(), r.stage(), r.user(), r.attributes()));
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private void reject(Path f, String reason) {
    rejectedCount.incrementAndGet();
    String name = f.getFileName().toString();
    Path target = rejected.resolve(name);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      target = rejected.resolve(name + "." + System.currentTimeMillis());
    }
    LOG.warn("rejected job record {}: {} (moved to {})", name, reason, target);
    try {
      Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(
          rejected.resolve(target.getFileName() + ".reason"),
          reason + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.error("cannot move rejected job record {} aside: {}", name, e.toString());
    }
  }

  @Override
  public void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
