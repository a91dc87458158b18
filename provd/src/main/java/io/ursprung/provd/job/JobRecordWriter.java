package io.ursprung.provd.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.provd.spool.JobRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.UUID;

/**
 * Writes one record file into the spool directory the way the uploader expects: under a hidden
 * temporary name first (the uploader ignores names starting with a dot), complete and synced, then
 * renamed to {@code <unique>.json} in the same directory, so the uploader never reads half a
 * record. Mode 0600: only the owner and provd (root) read it; job descriptions can be private.
 */
public final class JobRecordWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JobRecordWriter() {}

  /** The record's file content (UTF-8 JSON, format {@value JobRecord#FORMAT} v1). */
  public static byte[] toBytes(JobRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", JobRecord.FORMAT);
    o.put("version", JobRecord.VERSION);
    o.put("jobId", r.jobId());
    o.put("stage", r.stage());
    o.put("user", r.user());
    o.put("time", r.time().toString());
    ObjectNode a = o.putObject("attributes");
    for (Map.Entry<String, String> e : r.attributes().entrySet()) {
      a.put(e.getKey(), e.getValue());
    }
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the record into {@code spool}.
   *
   * @return the final path
   * @throws JobRecord.InvalidRecordException when the uploader would refuse the record
   * @throws IOException when the spool cannot be written
   */
  public static Path write(Path spool, JobRecord r)
      throws IOException, JobRecord.InvalidRecordException {
    byte[] bytes = toBytes(r);
    JobRecord.parse(bytes); // the uploader's own check, so a bad record fails here, visibly
    if (bytes.length > io.ursprung.provd.spool.JobSpoolUploader.MAX_BYTES) {
      throw new JobRecord.InvalidRecordException(
          "record is larger than " + io.ursprung.provd.spool.JobSpoolUploader.MAX_BYTES + " bytes");
    }
    String unique = r.stage() + "-" + UUID.randomUUID();
    Path tmp = spool.resolve("." + unique + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Path target = spool.resolve(unique + ".json");
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return target;
  }
}
