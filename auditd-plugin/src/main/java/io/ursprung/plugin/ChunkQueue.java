package io.ursprung.plugin;

import java.util.ArrayDeque;

/**
 * The bounded hand-over between the input reader and the processing thread: chunks of raw input
 * bytes (not lines, so that a busy stream costs one queue operation per read rather than per
 * record), bounded by their total size.
 */
final class ChunkQueue {

  /**
   * A piece of input.
   *
   * @param data bytes; {@code null} marks the end of input
   * @param length valid bytes in {@code data}
   * @param afterGap whether input was dropped right before this chunk
   * @param gapEndedAtNewline whether the dropped input ended with a newline, so this chunk starts a
   *     whole line
   */
  record Chunk(byte[] data, int length, boolean afterGap, boolean gapEndedAtNewline) {
    static final Chunk END = new Chunk(null, 0, false, true);

    boolean isEnd() {
      return data == null;
    }
  }

  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private final long maxBytes;
  private long bytes;

  ChunkQueue(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * Adds a chunk, waiting up to {@code timeoutMillis} for room ({@code < 0}: without limit). A
   * chunk always fits into an empty queue, so a chunk larger than the bound cannot wedge it.
   *
   * @return false when there was no room in time
   */
  synchronized boolean offer(Chunk c, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (!chunks.isEmpty() && bytes + c.length() > maxBytes && !c.isEnd()) {
      if (timeoutMillis < 0) {
        wait();
      } else {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return false;
        }
        wait(left);
      }
    }
    chunks.addLast(c);
    bytes += c.length();
    notifyAll();
    return true;
  }

  /** The next chunk, or {@code null} when none arrived within {@code timeoutMillis}. */
  synchronized Chunk poll(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (chunks.isEmpty()) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return null;
      }
      wait(left);
    }
    Chunk c = chunks.removeFirst();
    bytes -= c.length();
    notifyAll();
    return c;
  }

  /** Bytes waiting now. */
  synchronized long bytes() {
    return bytes;
  }
}
