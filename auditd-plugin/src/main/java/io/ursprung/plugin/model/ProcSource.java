package io.ursprung.plugin.model;

import java.io.IOException;
import java.util.List;

/**
 * What the start-up snapshot reads of the running processes: Linux's /proc, or a directory tree of
 * the same shape in tests. Every method may fail for a process that has just ended or that the
 * reader may not look into; the caller skips what it cannot read.
 */
public interface ProcSource {

  /** Wall-clock time of the snapshot, milliseconds since the epoch. */
  long now();

  /** Boot time, seconds since the epoch ({@code btime} in /proc/stat). */
  long bootTimeSeconds() throws IOException;

  /** Clock ticks per second, the unit of a process's start time in its stat file. */
  long clockTicks();

  /** The process ids now listed (thread-group ids: /proc lists no other thread). */
  List<Integer> pids() throws IOException;

  /**
   * A file of a process, such as {@code stat}, {@code status}, {@code cmdline}, {@code fdinfo/3}.
   */
  byte[] read(int pid, String name) throws IOException;

  /** The target of a link of a process, such as {@code exe}, {@code cwd}, {@code fd/3}. */
  String readLink(int pid, String name) throws IOException;

  /** The open descriptor numbers of a process. */
  List<Integer> fds(int pid) throws IOException;

  /**
   * What descriptor fd of a process refers to, looked up through the descriptor itself (so a file
   * renamed or replaced since it was opened is still the one the process holds).
   */
  Target target(int pid, int fd) throws IOException;

  /**
   * The object behind a descriptor.
   *
   * @param inode inode number
   * @param device device in audit's notation, {@code major:minor} in hex ({@code fd:00})
   * @param regular whether it is a regular file
   * @param directory whether it is a directory
   * @param links its link count (0 once it was unlinked)
   */
  record Target(long inode, String device, boolean regular, boolean directory, long links) {}
}
