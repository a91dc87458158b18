package io.ursprung.provd.capture;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns the byte chunks of one output stream into lines. Programs buffer stdout in blocks when it
 * is not a terminal, so a line can straddle writes and one write can hold many lines.
 *
 * <p>Control characters other than tab are dropped and ANSI CSI sequences (colours, cursor
 * movement: ESC [ parameters final-byte) are skipped, because progress bars and coloured loggers
 * would otherwise defeat the requester's regular expression. A line longer than the limit is cut
 * there; the rest up to the next newline is dropped and counted. Not thread-safe: one per stream.
 */
public final class LineAssembler {
  private static final int ESC = 0x1b;

  private final int maxLineBytes;
  private final Consumer<String> out;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private int escState; // 0 normal, 1 after ESC, 2 inside CSI
  private boolean overLong;
  private long truncatedLines;

  public LineAssembler(int maxLineBytes, Consumer<String> out) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive");
    }
    this.maxLineBytes = maxLineBytes;
    this.out = out;
  }

  /** Feeds bytes; complete lines go to the consumer. */
  public void feed(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      int c = b[i] & 0xff;
      if (escState == 1) {
        escState = c == '[' ? 2 : 0;
        continue;
      }
      if (escState == 2) {
        // CSI parameters and intermediates are 0x20..0x3f; a byte 0x40..0x7e ends the sequence.
        if (c >= 0x40 && c <= 0x7e) {
          escState = 0;
        }
        continue;
      }
      if (c == '\n') {
        emit();
      } else if (c == ESC) {
        escState = 1;
      } else if (c < 0x20 && c != '\t' || c == 0x7f) {
        // \r and other controls: a progress bar's carriage returns must not split or spoil lines.
        continue;
      } else if (line.size() < maxLineBytes) {
        line.write(c);
      } else if (!overLong) {
        overLong = true;
        truncatedLines++;
      }
    }
  }

  /** Emits a pending partial line (at the end of the stream). */
  public void flush() {
    if (line.size() > 0) {
      emit();
    }
  }

  /** Lines that were longer than the limit and were cut. */
  public long truncatedLines() {
    return truncatedLines;
  }

  private void emit() {
    String s = line.toString(StandardCharsets.UTF_8);
    line.reset();
    overLong = false;
    escState = 0;
    out.accept(s);
  }
}
