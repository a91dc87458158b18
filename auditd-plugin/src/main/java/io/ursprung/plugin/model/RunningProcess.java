package io.ursprung.plugin.model;

import java.util.List;

/**
 * A process that was running when the plugin started, as /proc showed it.
 *
 * @param pid process id
 * @param ppid parent's pid
 * @param pgid process group
 * @param sid session
 * @param startMs start time, milliseconds since the epoch (boot time + start ticks; boot time has
 *     second resolution, so this may be up to a second early)
 * @param uid real uid
 * @param gid real gid
 * @param euid effective uid
 * @param egid effective gid
 * @param auid login uid as the kernel keeps it (4294967295 when unset), null when unreadable
 * @param exe executable, null when unreadable
 * @param cwd working directory, null when unreadable
 * @param argv command line, null when empty or unreadable
 * @param files open regular files and directories
 * @param readAtMs wall-clock time when its reading ended (records older than that may already be
 *     reflected in it)
 */
public record RunningProcess(
    int pid,
    int ppid,
    int pgid,
    int sid,
    long startMs,
    long uid,
    long gid,
    long euid,
    long egid,
    Long auid,
    String exe,
    String cwd,
    List<String> argv,
    List<OpenFd> files,
    long readAtMs) {

  public RunningProcess {
    argv = argv == null ? null : List.copyOf(argv);
    files = List.copyOf(files);
  }

  /**
   * An open file or directory.
   *
   * @param fd descriptor number
   * @param path absolute path
   * @param directory whether it is a directory (else a regular file)
   * @param read opened for reading
   * @param write opened for writing
   * @param cloexec close-on-exec set
   * @param inode inode number
   * @param device device, audit's {@code major:minor} hex notation
   */
  public record OpenFd(
      int fd,
      String path,
      boolean directory,
      boolean read,
      boolean write,
      boolean cloexec,
      Long inode,
      String device) {}
}
