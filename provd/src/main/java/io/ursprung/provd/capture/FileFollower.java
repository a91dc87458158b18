package io.ursprung.provd.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Follows a process's stdout when it is a regular file, from the file's current end, like {@code
 * tail -f}. The file is opened through {@code /proc/PID/fd/1}, so it is the very file the process
 * writes even if it was renamed or deleted. Nothing about the process changes.
 */
final class FileFollower extends CaptureSession {
  private final ProcFs proc;
  private final long pollMillis;

  FileFollower(
      int pid,
      long startTicks,
      int maxLineBytes,
      ProcFs proc,
      long pollMillis,
      Consumer<CaptureSession> onEnd) {
    super(pid, startTicks, maxLineBytes, onEnd);
    this.proc = proc;
    this.pollMillis = pollMillis;
  }

  @Override
  String mode() {
    return "file";
  }

  @Override
  String runCapture() throws Exception {
    FileChannel ch;
    try {
      ch = FileChannel.open(proc.fdPath(pid, 1), StandardOpenOption.READ);
    } catch (IOException e) {
      throw new CaptureRefusedException(
          "cannot open stdout of pid " + pid + " (" + proc.fdTarget(pid, 1) + "): " + e);
    }
    LineAssembler lines = new LineAssembler(maxLineBytes, text -> deliver(1, text));
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    try (ch) {
      long pos = ch.size();
      started.complete(null);
      while (true) {
        if (stopReason() != null) {
          return stopReason();
        }
        long size = ch.size();
        if (size < pos) {
          // Truncated (a log rotated by copytruncate, or "> file" again): start over.
          pos = 0;
        }
        if (size > pos) {
          buf.clear();
          int n = ch.read(buf, pos);
          if (n > 0) {
            lines.feed(buf.array(), 0, n);
            pos += n;
            continue;
          }
        }
        if (!proc.alive(pid, startTicks)) {
          // One last look: the process may have written its final lines just before exiting.
          if (ch.size() > pos) {
            continue;
          }
          lines.flush();
          return "process exited";
        }
        Thread.sleep(pollMillis);
      }
    }
  }
}
