package io.ursprung.provd.nativeaccess;

import java.nio.ByteBuffer;
import java.util.OptionalInt;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * {@link LinuxNative} on glibc through jnr-ffi.
 *
 * <p>Scratch memory for waitpid, registers and process_vm_readv is per thread: every tracer thread
 * calls these in a tight loop, and a tracee's syscall stop should cost as little as possible.
 */
final class LibcLinuxNative implements LinuxNative {

  private static final long PTRACE_GETREGS = 12;
  private static final long PTRACE_SYSCALL = 24;
  private static final long PTRACE_DETACH = 17;
  private static final long PTRACE_GETEVENTMSG = 0x4201;
  private static final long PTRACE_SEIZE = 0x4206;
  private static final long PTRACE_INTERRUPT = 0x4207;
  private static final long PTRACE_LISTEN = 0x4208;

  /** struct user_regs_struct on x86_64: 27 unsigned longs. */
  private static final int USER_REGS_BYTES = 27 * 8;

  private static final int REG_RDX = 96;
  private static final int REG_RSI = 104;
  private static final int REG_RDI = 112;
  private static final int REG_RAX = 80;
  private static final int REG_ORIG_RAX = 120;

  /** struct statfs on LP64 Linux: f_fsid follows seven 8-byte fields. */
  private static final int STATFS_BYTES = 120;

  private static final int STATFS_FSID_OFFSET = 56;
  private static final int ERANGE = 34;
  private static final int POLLIN = 1;

  /** Largest single copy from a tracee; longer writes are read in pieces by the caller. */
  static final int VM_READ_CHUNK = 256 * 1024;

  private final LibC libc;
  private final Runtime runtime;
  private final ThreadLocal<Scratch> scratch;

  private LibcLinuxNative(LibC libc, Runtime runtime) {
    this.libc = libc;
    this.runtime = runtime;
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(runtime));
  }

  /** Per-thread native buffers. */
  private static final class Scratch {
    final Pointer status;
    final Pointer regs;
    final Pointer localIov;
    final Pointer remoteIov;
    final Pointer data;
    final Pointer pollfd;

    Scratch(Runtime runtime) {
      status = Memory.allocateDirect(runtime, 8, true);
      regs = Memory.allocateDirect(runtime, USER_REGS_BYTES, true);
      localIov = Memory.allocateDirect(runtime, 16, true);
      remoteIov = Memory.allocateDirect(runtime, 16, true);
      data = Memory.allocateDirect(runtime, VM_READ_CHUNK, false);
      pollfd = Memory.allocateDirect(runtime, 8, true);
    }
  }

  static LibcLinuxNative load() throws NativeUnavailableException {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      throw new NativeUnavailableException("provd's native calls need Linux");
    }
    try {
      LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
      return new LibcLinuxNative(libc, Runtime.getRuntime(libc));
    } catch (LinkageError | RuntimeException e) {
      throw new NativeUnavailableException("cannot bind libc with jnr-ffi: " + e, e);
    }
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public int getpid() {
    return libc.getpid();
  }

  private int errno() {
    return runtime.getLastError();
  }

  private NativeCallException failure(String call, String detail) {
    return new NativeCallException(call, errno(), detail);
  }

  @Override
  public int fanotifyInit(int flags, int eventFileFlags) throws NativeException {
    int fd = libc.fanotify_init(flags, eventFileFlags);
    if (fd < 0) {
      throw failure("fanotify_init", "flags 0x" + Integer.toHexString(flags));
    }
    return fd;
  }

  @Override
  public void fanotifyMark(int fanotifyFd, int flags, long mask, String path)
      throws NativeException {
    // AT_FDCWD: the path is absolute anyway.
    if (libc.fanotify_mark(fanotifyFd, flags, mask, -100, path) < 0) {
      throw failure("fanotify_mark", path + ", mask 0x" + Long.toHexString(mask));
    }
  }

  @Override
  public boolean pollReadable(int fd, int timeoutMillis) throws NativeException {
    Pointer p = scratch.get().pollfd;
    p.putInt(0, fd);
    p.putShort(4, (short) POLLIN);
    p.putShort(6, (short) 0);
    int n = libc.poll(p, 1, timeoutMillis);
    if (n < 0) {
      int e = errno();
      if (e == NativeCallException.EINTR) {
        return false;
      }
      throw new NativeCallException("poll", e, null);
    }
    return n > 0 && (p.getShort(6) & POLLIN) != 0;
  }

  @Override
  public int read(int fd, ByteBuffer direct) throws NativeException {
    ByteBuffer slice = direct.slice();
    long n = libc.read(fd, slice, slice.remaining());
    if (n < 0) {
      int e = errno();
      if (e == NativeCallException.EAGAIN || e == NativeCallException.EINTR) {
        return 0;
      }
      throw new NativeCallException("read", e, "fd " + fd);
    }
    direct.position(direct.position() + (int) n);
    return (int) n;
  }

  @Override
  public int open(String path, int flags) throws NativeException {
    int fd = libc.open(path, flags);
    if (fd < 0) {
      throw failure("open", path);
    }
    return fd;
  }

  @Override
  public int openByHandleAt(int mountFd, byte[] fileHandle, int flags) throws NativeException {
    Pointer handle = Memory.allocateDirect(runtime, fileHandle.length, false);
    handle.put(0, fileHandle, 0, fileHandle.length);
    int fd = libc.open_by_handle_at(mountFd, handle, flags);
    if (fd < 0) {
      throw failure("open_by_handle_at", null);
    }
    return fd;
  }

  @Override
  public long fsid(String path) throws NativeException {
    Pointer buf = Memory.allocateDirect(runtime, STATFS_BYTES, true);
    if (libc.statfs(path, buf) < 0) {
      throw failure("statfs", path);
    }
    return buf.getLong(STATFS_FSID_OFFSET);
  }

  @Override
  public void close(int fd) {
    if (fd >= 0) {
      libc.close(fd);
    }
  }

  private void ptrace(String name, long request, int tid, long addr, long data)
      throws NativeException {
    long r =
        libc.ptrace(
            request,
            tid,
            addr == 0 ? null : Pointer.wrap(runtime, addr),
            data == 0 ? null : Pointer.wrap(runtime, data));
    if (r < 0) {
      throw failure("ptrace(" + name + ")", "tid " + tid);
    }
  }

  @Override
  public void ptraceSeize(int tid, long options) throws NativeException {
    ptrace("PTRACE_SEIZE", PTRACE_SEIZE, tid, 0, options);
  }

  @Override
  public void ptraceInterrupt(int tid) throws NativeException {
    ptrace("PTRACE_INTERRUPT", PTRACE_INTERRUPT, tid, 0, 0);
  }

  @Override
  public void ptraceSyscall(int tid, int signal) throws NativeException {
    ptrace("PTRACE_SYSCALL", PTRACE_SYSCALL, tid, 0, signal);
  }

  @Override
  public void ptraceListen(int tid) throws NativeException {
    ptrace("PTRACE_LISTEN", PTRACE_LISTEN, tid, 0, 0);
  }

  @Override
  public void ptraceDetach(int tid, int signal) throws NativeException {
    ptrace("PTRACE_DETACH", PTRACE_DETACH, tid, 0, signal);
  }

  @Override
  public long ptraceGetEventMsg(int tid) throws NativeException {
    Pointer p = scratch.get().status;
    p.putLong(0, 0);
    if (libc.ptrace(PTRACE_GETEVENTMSG, tid, null, p) < 0) {
      throw failure("ptrace(PTRACE_GETEVENTMSG)", "tid " + tid);
    }
    return p.getLong(0);
  }

  @Override
  public SyscallRegs ptraceGetRegs(int tid) throws NativeException {
    if (!"amd64".equals(System.getProperty("os.arch"))) {
      throw new NativeUnavailableException(
          "reading syscall registers is implemented for x86_64 only");
    }
    Pointer regs = scratch.get().regs;
    if (libc.ptrace(PTRACE_GETREGS, tid, null, regs) < 0) {
      throw failure("ptrace(PTRACE_GETREGS)", "tid " + tid);
    }
    return new SyscallRegs(
        regs.getLong(REG_ORIG_RAX),
        regs.getLong(REG_RAX),
        regs.getLong(REG_RDI),
        regs.getLong(REG_RSI),
        regs.getLong(REG_RDX));
  }

  @Override
  public WaitStatus waitpid(int pid, int options) throws NativeException {
    Pointer status = scratch.get().status;
    status.putInt(0, 0);
    int r = libc.waitpid(pid, status, options);
    if (r < 0) {
      int e = errno();
      if (e == NativeCallException.EINTR) {
        return null;
      }
      throw new NativeCallException("waitpid", e, "pid " + pid);
    }
    return r == 0 ? null : new WaitStatus(r, status.getInt(0));
  }

  @Override
  public int processVmRead(int pid, long remoteAddress, byte[] dst, int offset, int len)
      throws NativeException {
    Scratch s = scratch.get();
    int done = 0;
    while (done < len) {
      int chunk = Math.min(len - done, VM_READ_CHUNK);
      s.localIov.putAddress(0, s.data.address());
      s.localIov.putLong(8, chunk);
      s.remoteIov.putAddress(0, remoteAddress + done);
      s.remoteIov.putLong(8, chunk);
      long n = libc.process_vm_readv(pid, s.localIov, 1, s.remoteIov, 1, 0);
      if (n < 0) {
        if (done > 0) {
          break;
        }
        throw failure("process_vm_readv", "pid " + pid);
      }
      if (n == 0) {
        break;
      }
      s.data.get(0, dst, offset + done, (int) n);
      done += (int) n;
      if (n < chunk) {
        // A partial read stops at an unmapped page: the rest cannot be read either.
        break;
      }
    }
    return done;
  }

  @Override
  public OptionalInt uidOf(String userName) throws NativeException {
    // struct passwd on LP64: pw_name, pw_passwd (pointers), then pw_uid at offset 16.
    Pointer pwd = Memory.allocateDirect(runtime, 64, true);
    Pointer result = Memory.allocateDirect(runtime, runtime.addressSize(), true);
    for (long size = 4096; size <= (16L << 20); size *= 4) {
      Pointer buf = Memory.allocateDirect(runtime, size, false);
      int rc = libc.getpwnam_r(userName, pwd, buf, size, result);
      if (rc == ERANGE) {
        continue;
      }
      if (rc != 0) {
        throw new NativeCallException("getpwnam_r", rc, userName);
      }
      if (result.getAddress(0) == 0) {
        return OptionalInt.empty();
      }
      return OptionalInt.of(pwd.getInt(16));
    }
    throw new NativeCallException("getpwnam_r", ERANGE, userName);
  }
}
