package io.ursprung.provd.nativeaccess;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * {@link LinuxNative} without libc: users come from {@code /etc/passwd} (local accounts only), and
 * every other call throws {@link NativeUnavailableException} with the reason libc was unusable.
 */
final class FallbackLinuxNative implements LinuxNative {
  private final String reason;
  private final Path passwd;

  FallbackLinuxNative(String reason) {
    this(reason, Path.of("/etc/passwd"));
  }

  FallbackLinuxNative(String reason, Path passwd) {
    this.reason = reason;
    this.passwd = passwd;
  }

  private NativeUnavailableException unavailable() {
    return new NativeUnavailableException(reason);
  }

  @Override
  public boolean available() {
    return false;
  }

  @Override
  public int getpid() {
    return (int) ProcessHandle.current().pid();
  }

  @Override
  public int fanotifyInit(int flags, int eventFileFlags) throws NativeException {
    throw unavailable();
  }

  @Override
  public void fanotifyMark(int fanotifyFd, int flags, long mask, String path)
      throws NativeException {
    throw unavailable();
  }

  @Override
  public boolean pollReadable(int fd, int timeoutMillis) throws NativeException {
    throw unavailable();
  }

  @Override
  public int read(int fd, ByteBuffer direct) throws NativeException {
    throw unavailable();
  }

  @Override
  public int open(String path, int flags) throws NativeException {
    throw unavailable();
  }

  @Override
  public int openByHandleAt(int mountFd, byte[] fileHandle, int flags) throws NativeException {
    throw unavailable();
  }

  @Override
  public long fsid(String path) throws NativeException {
    throw unavailable();
  }

  @Override
  public void close(int fd) {}

  @Override
  public void ptraceSeize(int tid, long options) throws NativeException {
    throw unavailable();
  }

  @Override
  public void ptraceInterrupt(int tid) throws NativeException {
    throw unavailable();
  }

  @Override
  public void ptraceSyscall(int tid, int signal) throws NativeException {
    throw unavailable();
  }

  @Override
  public void ptraceListen(int tid) throws NativeException {
    throw unavailable();
  }

  @Override
  public void ptraceDetach(int tid, int signal) throws NativeException {
    throw unavailable();
  }

  @Override
  public long ptraceGetEventMsg(int tid) throws NativeException {
    throw unavailable();
  }

  @Override
  public SyscallRegs ptraceGetRegs(int tid) throws NativeException {
    throw unavailable();
  }

  @Override
  public WaitStatus waitpid(int pid, int options) throws NativeException {
    throw unavailable();
  }

  @Override
  public int processVmRead(int pid, long remoteAddress, byte[] dst, int offset, int len)
      throws NativeException {
    throw unavailable();
  }

  @Override
  public OptionalInt uidOf(String userName) throws NativeException {
    try {
      for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
        String[] f = line.split(":", -1);
        if (f.length >= 3 && f[0].equals(userName)) {
          return OptionalInt.of(Integer.parseInt(f[2]));
        }
      }
      return OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      throw new NativeUnavailableException("cannot read " + passwd + ": " + e.getMessage(), e);
    }
  }
}
