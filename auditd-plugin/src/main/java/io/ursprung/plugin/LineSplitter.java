package io.ursprung.plugin;

/**
 * Splits chunks of input into lines (without the newline) on the processing thread. Lines inside a
 * chunk are passed as slices of it, without copying; only a line that spans chunks is copied. Not
 * thread-safe.
 */
final class LineSplitter {

  /** Receives one line. */
  interface LineConsumer {
    void line(byte[] buf, int off, int len);
  }

  /**
   * Longer than any real record (auditd caps one at about 9 KB), so a line beyond it is garbage
   * rather than audit data; keeping it would let such input exhaust the heap.
   */
  static final int MAX_LINE = 1 << 20;

  private byte[] carry = new byte[16 * 1024];
  private int carryLen;
  private boolean skipToNewline;
  private long damaged;
  private long oversized;

  /** Splits {@code chunk}, handing whole lines to {@code out}. */
  void feed(ChunkQueue.Chunk chunk, LineConsumer out) {
    byte[] data = chunk.data();
    int len = chunk.length();
    int pos = 0;
    if (chunk.afterGap()) {
      // The partial line before the gap ended inside the dropped input, which counted it.
      carryLen = 0;
      if (!chunk.gapEndedAtNewline()) {
        // The head of this chunk is the tail of a line whose start was dropped.
        damaged++;
        skipToNewline = true;
      }
    }
    while (pos < len) {
      int nl = indexOf(data, pos, len);
      if (nl < 0) {
        append(data, pos, len - pos);
        return;
      }
      if (skipToNewline) {
        skipToNewline = false;
        carryLen = 0;
      } else if (carryLen > 0) {
        append(data, pos, nl - pos);
        if (!skipToNewline) {
          out.line(carry, 0, carryLen);
        }
        skipToNewline = false;
        carryLen = 0;
      } else {
        out.line(data, pos, nl - pos);
      }
      pos = nl + 1;
    }
  }

  /** End of input: a last line without a newline still counts. */
  void finish(LineConsumer out) {
    if (carryLen > 0 && !skipToNewline) {
      out.line(carry, 0, carryLen);
    }
    carryLen = 0;
    skipToNewline = false;
  }

  /** Lines cut by dropped input. */
  long damaged() {
    return damaged;
  }

  /** Lines longer than {@link #MAX_LINE}, discarded. */
  long oversized() {
    return oversized;
  }

  private void append(byte[] src, int off, int n) {
    if (skipToNewline) {
      return;
    }
    if (carryLen + n > MAX_LINE) {
      oversized++;
      carryLen = 0;
      skipToNewline = true;
      return;
    }
    if (carryLen + n > carry.length) {
      byte[] bigger = new byte[Math.min(MAX_LINE, Math.max(carry.length * 2, carryLen + n))];
      System.arraycopy(carry, 0, bigger, 0, carryLen);
      carry = bigger;
    }
    System.arraycopy(src, off, carry, carryLen, n);
    carryLen += n;
  }

  private static int indexOf(byte[] data, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
