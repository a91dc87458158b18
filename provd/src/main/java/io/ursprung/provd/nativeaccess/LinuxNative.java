package io.ursprung.provd.nativeaccess;

import java.nio.ByteBuffer;
import java.util.OptionalInt;

/**
 * The Linux system calls provd uses, with Java types and typed exceptions.
 *
 * <p>ptrace requests are only accepted from the thread that attached; callers keep each tracee on
 * one dedicated platform thread. All other calls are thread-safe.
 */
public interface LinuxNative {

  /**
   * The libc implementation, or a fallback that resolves users from {@code /etc/passwd} and refuses
   * everything else when libc cannot be bound.
   */
  static LinuxNative load() {
    try {
      return LibcLinuxNative.load();
    } catch (NativeUnavailableException e) {
      return new FallbackLinuxNative(e.getMessage());
    }
  }

  /** Whether the native calls work (false for the fallback). */
  boolean available();

  /** This process's id. */
  int getpid();

  // ---- fanotify and files

  int fanotifyInit(int flags, int eventFileFlags) throws NativeException;

  void fanotifyMark(int fanotifyFd, int flags, long mask, String path) throws NativeException;

  /**
   * Waits until {@code fd} is readable or {@code timeoutMillis} pass.
   *
   * @return whether it is readable
   */
  boolean pollReadable(int fd, int timeoutMillis) throws NativeException;

  /**
   * Reads into a direct buffer from its position; advances the position.
   *
   * @return the bytes read; 0 when a non-blocking fd has nothing
   */
  int read(int fd, ByteBuffer direct) throws NativeException;

  int open(String path, int flags) throws NativeException;

  /**
   * Opens the object a {@code struct file_handle} names.
   *
   * @param fileHandle {@code handle_bytes} (u32), {@code handle_type} (s32) and the handle bytes,
   *     exactly as fanotify's info records carry them
   */
  int openByHandleAt(int mountFd, byte[] fileHandle, int flags) throws NativeException;

  /** The {@code f_fsid} of the file system holding {@code path}, as fanotify reports it. */
  long fsid(String path) throws NativeException;

  /** Closes an fd, ignoring errors (there is nothing useful to do about them). */
  void close(int fd);

  // ---- ptrace

  void ptraceSeize(int tid, long options) throws NativeException;

  void ptraceInterrupt(int tid) throws NativeException;

  /** Resumes until the next syscall stop, delivering {@code signal} (0 for none). */
  void ptraceSyscall(int tid, int signal) throws NativeException;

  /** Keeps a group-stopped seized tracee stopped while letting the tracer see later events. */
  void ptraceListen(int tid) throws NativeException;

  void ptraceDetach(int tid, int signal) throws NativeException;

  long ptraceGetEventMsg(int tid) throws NativeException;

  SyscallRegs ptraceGetRegs(int tid) throws NativeException;

  /**
   * {@code waitpid(pid, &status, options)}.
   *
   * @return the state change, or {@code null} when {@code WNOHANG} found none
   */
  WaitStatus waitpid(int pid, int options) throws NativeException;

  /**
   * Copies {@code len} bytes at {@code remoteAddress} of process {@code pid} into {@code dst}.
   *
   * @return the bytes copied, which can be fewer at an unmapped page
   */
  int processVmRead(int pid, long remoteAddress, byte[] dst, int offset, int len)
      throws NativeException;

  // ---- users

  /** The uid of a user name through NSS (LDAP and SSSD accounts included), if it exists. */
  OptionalInt uidOf(String userName) throws NativeException;
}
