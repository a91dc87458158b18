package io.ursprung.provd.nativeaccess;

import java.nio.ByteBuffer;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions provd binds with jnr-ffi. Public only because jnr-ffi generates its
 * implementation in another class loader context; nothing outside this package uses it.
 */
public interface LibC {
  int getpid();

  int fanotify_init(int flags, int eventFileFlags);

  int fanotify_mark(int fd, int flags, long mask, int dirfd, String path);

  int poll(Pointer fds, long nfds, int timeout);

  @ssize_t
  long read(int fd, @Out ByteBuffer buf, @size_t long count);

  int open(String path, int flags);

  int open_by_handle_at(int mountFd, Pointer handle, int flags);

  int statfs(String path, Pointer buf);

  int close(int fd);

  /**
   * glibc's ptrace is variadic; on x86_64 and aarch64 the fixed-argument calling convention passes
   * these four integer-class arguments the same way.
   */
  long ptrace(long request, int pid, Pointer addr, Pointer data);

  int waitpid(int pid, Pointer status, int options);

  @ssize_t
  long process_vm_readv(
      int pid, Pointer localIov, long localCount, Pointer remoteIov, long remoteCount, long flags);

  int getpwnam_r(String name, Pointer pwd, Pointer buf, @size_t long buflen, Pointer result);
}
