package io.ursprung.plugin.nativeaccess;

import jnr.ffi.Pointer;
import jnr.ffi.types.gid_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.uid_t;

/**
 * The libc functions the plugin binds with jnr-ffi. Public only because jnr-ffi generates its
 * implementation in another class loader context; nothing outside this package uses it.
 */
public interface LibC {
  int getpwuid_r(@uid_t int uid, Pointer pwd, Pointer buf, @size_t long buflen, Pointer result);

  int getgrgid_r(@gid_t int gid, Pointer grp, Pointer buf, @size_t long buflen, Pointer result);

  int socket(int domain, int type, int protocol);

  @ssize_t
  long sendto(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, int addrlen);

  @ssize_t
  long recv(int fd, Pointer buf, @size_t long len, int flags);

  int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);

  int close(int fd);
}
