package io.ursprung.plugin.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded, append-only queue of byte records on disk, where the Kafka sink keeps events while the
 * broker is unreachable, so that a Kafka restart loses nothing and the plugin never blocks auditd.
 *
 * <p>Layout: segment files {@code seg-<20-digit sequence>.spool}, each an 8-byte magic followed by
 * records {@code [u32 length][u32 CRC-32C of the payload][payload]} (big-endian). The read position
 * (segment, offset) is kept in {@code read.pos}, replaced atomically on each {@link #commit}; fully
 * read segments are deleted. Readers {@link #peek} a batch, send it, and only then commit: a crash
 * in between re-sends the batch, which consumers absorb because event ids are deterministic.
 *
 * <p>Durability: appends are not fsynced one by one (that would cap the rate at the disk's sync
 * rate); {@link #flush()} forces them. A killed process loses nothing (the data is in the page
 * cache); a power cut can lose the tail since the last flush, and a torn last record is cut off on
 * the next open. A record whose CRC does not match is corruption: the rest of its segment is
 * skipped and counted in {@link #corruptions()}, since its length field cannot be trusted.
 *
 * <p>Bounded by {@code maxBytes} of segment files; {@link #append} returns false when a record does
 * not fit, and the caller counts it as dropped. Thread-safe (one lock; appends and reads are
 * short).
 */
public final class DiskSpool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);
  private static final byte[] MAGIC = "URSPOOL1".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = MAGIC.length;
  private static final int RECORD_OVERHEAD = 8;
  private static final String POS_FILE = "read.pos";

  /** Where the next unread record starts. */
  public record Position(long segment, long offset) {}

  /** Records read by {@link #peek}, and the position after the last of them. */
  public record Batch(List<byte[]> records, Position next) {
    public boolean isEmpty() {
      return records.isEmpty();
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;

  /** Segment sequence → its valid length (bytes up to the last good record). */
  private final TreeMap<Long, Long> segments = new TreeMap<>();

  private FileChannel writer;
  private long writeSegment;
  private Position readPos;
  private FileChannel reader;
  private long readerSegment = -1;
  private long pending;
  private long totalBytes;
  private long corruptions;
  private boolean closed;

  private DiskSpool(Path dir, long maxBytes, long segmentBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Opens (or creates) the spool in {@code dir}, recovering the records left by an earlier run.
   *
   * @param maxBytes bound of all segment files together
   */
  public static DiskSpool open(Path dir, long maxBytes) throws IOException {
    // Segments of an eighth of the bound (at most 64 MiB) keep the space of read-but-undeleted
    // records small while not creating a file per batch.
    long seg = Math.max(64 * 1024, Math.min(64L << 20, maxBytes / 8));
    return open(dir, maxBytes, seg);
  }

  /** As {@link #open(Path, long)} with an explicit segment size (tests). */
  public static DiskSpool open(Path dir, long maxBytes, long segmentBytes) throws IOException {
    if (maxBytes < HEADER + RECORD_OVERHEAD + 1 || segmentBytes < HEADER + RECORD_OVERHEAD + 1) {
      throw new IllegalArgumentException("spool bound too small: " + maxBytes);
    }
    Files.createDirectories(dir);
    DiskSpool spool = new DiskSpool(dir, maxBytes, segmentBytes);
    spool.recover();
    return spool;
  }

  private void recover() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*.spool")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        try {
          long seq = Long.parseLong(name.substring(4, name.length() - 6));
          segments.put(seq, Files.size(p));
        } catch (NumberFormatException e) {
          LOG.warn("ignoring foreign file {} in the spool directory", p);
        }
      }
    }
    readPos = readPosFile();
    if (readPos == null || !segments.containsKey(readPos.segment())) {
      readPos =
          segments.isEmpty() ? new Position(0, HEADER) : new Position(segments.firstKey(), HEADER);
    }
    // Drop segments before the read position: read but not yet deleted when the last run stopped.
    for (Long seq : new ArrayList<>(segments.headMap(readPos.segment()).keySet())) {
      Files.deleteIfExists(segmentPath(seq));
      segments.remove(seq);
    }
    // Validate every record once: find torn tails and count what is waiting.
    for (Map.Entry<Long, Long> e : new ArrayList<>(segments.entrySet())) {
      long seq = e.getKey();
      long start = seq == readPos.segment() ? readPos.offset() : HEADER;
      long validEnd = scan(seq, start);
      if (validEnd < e.getValue()) {
        boolean last = seq == segments.lastKey();
        if (last) {
          LOG.warn(
              "spool segment {}: cut a torn tail of {} bytes (a record written during a crash)",
              segmentPath(seq),
              e.getValue() - validEnd);
          try (FileChannel ch = FileChannel.open(segmentPath(seq), StandardOpenOption.WRITE)) {
            ch.truncate(validEnd);
          }
        } else {
          corruptions++;
          LOG.error(
              "spool segment {} is corrupt at offset {}: skipping its last {} bytes",
              segmentPath(seq),
              validEnd,
              e.getValue() - validEnd);
        }
        segments.put(seq, validEnd);
      }
    }
    totalBytes = 0;
    for (Long seq : segments.keySet()) {
      totalBytes += Files.size(segmentPath(seq));
    }
    if (segments.isEmpty()) {
      newSegment(readPos.segment());
    } else {
      writeSegment = segments.lastKey();
      writer = FileChannel.open(segmentPath(writeSegment), StandardOpenOption.WRITE);
      writer.position(segments.get(writeSegment));
    }
    if (pending > 0) {
      LOG.info("spool {} holds {} records from an earlier run", dir, pending);
    }
  }

  /** Counts valid records of a segment from {@code start}; returns the end of the last good one. */
  private long scan(long seq, long start) throws IOException {
    try (FileChannel ch = FileChannel.open(segmentPath(seq), StandardOpenOption.READ)) {
      ByteBuffer magic = ByteBuffer.allocate(HEADER);
      ch.read(magic, 0);
      if (magic.position() < HEADER || !java.util.Arrays.equals(magic.array(), MAGIC)) {
        LOG.error("spool segment {} has no spool header: ignoring its content", segmentPath(seq));
        return HEADER;
      }
      long off = start;
      long size = ch.size();
      ByteBuffer head = ByteBuffer.allocate(RECORD_OVERHEAD);
      while (off + RECORD_OVERHEAD <= size) {
        head.clear();
        ch.read(head, off);
        head.flip();
        int len = head.getInt();
        int crc = head.getInt();
        if (len < 0 || off + RECORD_OVERHEAD + len > size) {
          return off;
        }
        ByteBuffer payload = ByteBuffer.allocate(len);
        readFully(ch, payload, off + RECORD_OVERHEAD);
        if (crc(payload.array()) != crc) {
          return off;
        }
        off += RECORD_OVERHEAD + len;
        pending++;
      }
      return off;
    }
  }

  /**
   * Appends one record.
   *
   * @return false when it does not fit under the bound (the caller counts it as dropped)
   */
  public synchronized boolean append(byte[] record) throws IOException {
    ensureOpen();
    long need = RECORD_OVERHEAD + (long) record.length;
    long segSize = segments.get(writeSegment);
    boolean roll = segSize > HEADER && segSize + need > segmentBytes;
    if (totalBytes + need + (roll ? HEADER : 0) > maxBytes) {
      return false;
    }
    if (roll) {
      writer.close();
      newSegment(writeSegment + 1);
      segSize = HEADER;
    }
    ByteBuffer buf = ByteBuffer.allocate((int) need);
    buf.putInt(record.length).putInt(crc(record)).put(record).flip();
    while (buf.hasRemaining()) {
      writer.write(buf);
    }
    segments.put(writeSegment, segSize + need);
    totalBytes += need;
    pending++;
    return true;
  }

  /**
   * Reads up to {@code maxRecords} records (and about {@code maxBytes}) from the read position,
   * without consuming them.
   */
  public synchronized Batch peek(int maxRecords, long maxBytes) throws IOException {
    ensureOpen();
    List<byte[]> out = new ArrayList<>();
    long bytes = 0;
    long seq = readPos.segment();
    long off = readPos.offset();
    while (out.size() < maxRecords && bytes < maxBytes) {
      Long end = segments.get(seq);
      if (end == null) {
        break;
      }
      if (off >= end) {
        Long next = segments.higherKey(seq);
        if (next == null) {
          break;
        }
        seq = next;
        off = HEADER;
        continue;
      }
      FileChannel ch = readerFor(seq);
      ByteBuffer head = ByteBuffer.allocate(RECORD_OVERHEAD);
      readFully(ch, head, off);
      head.flip();
      int len = head.getInt();
      int crc = head.getInt();
      byte[] payload = null;
      if (len >= 0 && off + RECORD_OVERHEAD + len <= end) {
        ByteBuffer pb = ByteBuffer.allocate(len);
        readFully(ch, pb, off + RECORD_OVERHEAD);
        payload = pb.array();
      }
      if (payload == null || crc(payload) != crc) {
        // The file changed under us (disk error, tampering): nothing after this point in the
        // segment can be trusted, so skip to the next segment.
        corruptions++;
        LOG.error(
            "spool segment {} is corrupt at offset {} (CRC or length mismatch): skipping its"
                + " last {} bytes",
            segmentPath(seq),
            off,
            end - off);
        segments.put(seq, off);
        if (seq == writeSegment) {
          // Appends must not land behind the damage, where no reader would find them.
          writer.close();
          newSegment(seq + 1);
        }
        // How many records the damage swallowed is unknowable; count what is still readable.
        pending =
            out.size()
                + countBetween(
                    new Position(seq, off), new Position(writeSegment, segments.get(writeSegment)));
        continue;
      }
      out.add(payload);
      bytes += len;
      off += RECORD_OVERHEAD + len;
    }
    return new Batch(out, new Position(seq, off));
  }

  /** Consumes the records of {@code batch}, which must be the last {@link #peek}'s answer. */
  public synchronized void commit(Batch batch) throws IOException {
    ensureOpen();
    Position next = batch.next();
    readPos = next;
    pending = Math.max(0, pending - batch.records().size());
    for (Long seq : new ArrayList<>(segments.headMap(next.segment()).keySet())) {
      deleteSegment(seq);
    }
    if (next.segment() == writeSegment && next.offset() >= segments.get(writeSegment)) {
      pending = 0;
      if (next.offset() > HEADER) {
        // Empty: start a fresh segment so the disk space of what was sent comes back now.
        writer.close();
        long old = writeSegment;
        newSegment(old + 1);
        deleteSegment(old);
        readPos = new Position(writeSegment, HEADER);
      }
    }
    writeReadPos();
  }

  private long countBetween(Position from, Position to) throws IOException {
    long n = 0;
    long seq = from.segment();
    long off = from.offset();
    while (seq < to.segment() || (seq == to.segment() && off < to.offset())) {
      Long end = segments.get(seq);
      if (end == null) {
        break;
      }
      long stop = seq == to.segment() ? to.offset() : end;
      FileChannel ch = readerFor(seq);
      ByteBuffer head = ByteBuffer.allocate(4);
      while (off < stop) {
        head.clear();
        readFully(ch, head, off);
        head.flip();
        off += RECORD_OVERHEAD + head.getInt();
        n++;
      }
      Long next = segments.higherKey(seq);
      if (next == null) {
        break;
      }
      seq = next;
      off = HEADER;
    }
    return n;
  }

  /** Whether nothing waits to be read. */
  public synchronized boolean isEmpty() {
    if (readPos.segment() == writeSegment) {
      return readPos.offset() >= segments.get(writeSegment);
    }
    return false;
  }

  /** Records waiting to be read. */
  public synchronized long pending() {
    return isEmpty() ? 0 : pending;
  }

  /** Bytes of segment files on disk. */
  public synchronized long sizeBytes() {
    return totalBytes;
  }

  /** Corrupt records found (each one cost the rest of its segment). */
  public synchronized long corruptions() {
    return corruptions;
  }

  /** The directory of this spool. */
  public Path directory() {
    return dir;
  }

  /** Forces appended records to disk. */
  public synchronized void flush() throws IOException {
    if (!closed) {
      writer.force(false);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    writer.force(false);
    writer.close();
    if (reader != null) {
      reader.close();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("spool " + dir + " is closed");
    }
  }

  private void newSegment(long seq) throws IOException {
    Path p = segmentPath(seq);
    writer =
        FileChannel.open(
            p,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    writer.write(ByteBuffer.wrap(MAGIC));
    writeSegment = seq;
    segments.put(seq, (long) HEADER);
    totalBytes += HEADER;
  }

  private void deleteSegment(long seq) throws IOException {
    if (readerSegment == seq) {
      reader.close();
      reader = null;
      readerSegment = -1;
    }
    Long len = segments.remove(seq);
    Path p = segmentPath(seq);
    if (len != null) {
      totalBytes -= Files.size(p);
    }
    Files.deleteIfExists(p);
  }

  private FileChannel readerFor(long seq) throws IOException {
    if (readerSegment != seq) {
      if (reader != null) {
        reader.close();
      }
      reader = FileChannel.open(segmentPath(seq), StandardOpenOption.READ);
      readerSegment = seq;
    }
    return reader;
  }

  private Path segmentPath(long seq) {
    return dir.resolve(String.format("seg-%020d.spool", seq));
  }

  private Position readPosFile() throws IOException {
    Path p = dir.resolve(POS_FILE);
    if (!Files.exists(p)) {
      return null;
    }
    String[] parts = Files.readString(p, StandardCharsets.US_ASCII).trim().split("\\s+");
    try {
      return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (RuntimeException e) {
      LOG.error("spool read position {} is unreadable; starting from the oldest segment", p);
      return null;
    }
  }

  private void writeReadPos() throws IOException {
    Path tmp = dir.resolve(POS_FILE + ".tmp");
    Files.writeString(tmp, readPos.segment() + " " + readPos.offset() + "\n");
    try {
      Files.move(
          tmp,
          dir.resolve(POS_FILE),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve(POS_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    long p = pos;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, p);
      if (n < 0) {
        throw new IOException("unexpected end of spool segment at " + p);
      }
      p += n;
    }
  }

  private static int crc(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data, 0, data.length);
    return (int) c.getValue();
  }
}
