package io.ursprung.plugin.nativeaccess;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * {@link NativeOs} on glibc (or any libc with the POSIX {@code _r} functions) through jnr-ffi.
 *
 * <p>Names go through {@code getpwuid_r}/{@code getgrgid_r} rather than {@code /etc/passwd} because
 * cluster accounts usually live in LDAP or SSSD, which only NSS consults. Only the first field of
 * {@code struct passwd}/{@code struct group} (the name pointer at offset 0) is read, so the code
 * does not depend on the rest of the struct layout.
 *
 * <p>The audit status is asked with a {@code NETLINK_AUDIT} {@code AUDIT_GET} request on a fresh
 * socket per query (one a minute is plenty; holding a socket would gain nothing). The kernel only
 * answers processes with {@code CAP_AUDIT_CONTROL} in the initial user namespace, which auditd's
 * plugins (root) have and containers usually do not.
 */
final class LibcNativeOs implements NativeOs {

  private static final int ERANGE = 34;
  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_AUDIT = 9;
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVTIMEO = 20;
  private static final int NLMSG_HDRLEN = 16;
  private static final int NLMSG_ERROR = 2;
  private static final int NLM_F_REQUEST = 1;
  private static final int NLM_F_ACK = 4;
  private static final int AUDIT_GET = 1000;

  /** Enough for any NSS entry we have seen; groups with thousands of members need the growth. */
  private static final long NSS_BUFFER_START = 4096;

  private static final long NSS_BUFFER_MAX = 16L << 20;

  /** struct passwd is 48 bytes and struct group 32 on LP64; more is harmless. */
  private static final int STRUCT_BYTES = 128;

  private final LibC libc;
  private final Runtime runtime;
  private final AtomicInteger seq = new AtomicInteger();

  private LibcNativeOs(LibC libc, Runtime runtime) {
    this.libc = libc;
    this.runtime = runtime;
  }

  static LibcNativeOs load() {
    try {
      LibC libc = LibraryLoader.create(LibC.class).failImmediately().load("c");
      return new LibcNativeOs(libc, Runtime.getRuntime(libc));
    } catch (LinkageError | RuntimeException e) {
      throw new NativeLibraryUnavailableException("cannot bind libc with jnr-ffi: " + e, e);
    }
  }

  @Override
  public Optional<String> userName(int uid) {
    return nssName(uid, true);
  }

  @Override
  public Optional<String> groupName(int gid) {
    return nssName(gid, false);
  }

  private Optional<String> nssName(int id, boolean user) {
    Pointer struct = Memory.allocateDirect(runtime, STRUCT_BYTES, true);
    Pointer result = Memory.allocateDirect(runtime, runtime.addressSize(), true);
    for (long size = NSS_BUFFER_START; size <= NSS_BUFFER_MAX; size *= 4) {
      Pointer buf = Memory.allocateDirect(runtime, size, false);
      int rc =
          user
              ? libc.getpwuid_r(id, struct, buf, size, result)
              : libc.getgrgid_r(id, struct, buf, size, result);
      if (rc == ERANGE) {
        continue;
      }
      Pointer found = result.getPointer(0);
      if (rc == 0 && found != null && found.address() != 0) {
        Pointer name = found.getPointer(0);
        return name == null
            ? Optional.empty()
            : Optional.of(name.getString(0, 4096, StandardCharsets.UTF_8));
      }
      if (rc == 0 || isNotFound(rc)) {
        return Optional.empty();
      }
      throw new NativeAccessException(
          (user ? "getpwuid_r(" : "getgrgid_r(") + Integer.toUnsignedString(id) + ") failed", rc);
    }
    throw new NativeAccessException(
        "entry for id " + Integer.toUnsignedString(id) + " larger than " + NSS_BUFFER_MAX, ERANGE);
  }

  /** POSIX lets implementations report "no such entry" with these instead of a NULL result. */
  private static boolean isNotFound(int errno) {
    return errno == 2 /* ENOENT */
        || errno == 3 /* ESRCH */
        || errno == 9 /* EBADF */
        || errno == 1 /* EPERM */;
  }

  @Override
  public synchronized AuditStatusResult auditStatus() {
    int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
    if (fd < 0) {
      return AuditStatusResult.unavailable(
          "cannot open a NETLINK_AUDIT socket: " + errnoText(LastError.getLastError(runtime)));
    }
    try {
      // A receive time-out, so a kernel that never answers cannot hang the stats thread.
      Pointer timeval = Memory.allocateDirect(runtime, 16, true);
      timeval.putLong(0, 1); // tv_sec
      libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16);

      Pointer addr = Memory.allocateDirect(runtime, 12, true);
      addr.putShort(0, (short) AF_NETLINK); // nl_pid 0 and nl_groups 0: the kernel, unicast

      int sequence = seq.incrementAndGet();
      Pointer req = Memory.allocateDirect(runtime, NLMSG_HDRLEN, true);
      req.putInt(0, NLMSG_HDRLEN);
      req.putShort(4, (short) AUDIT_GET);
      req.putShort(6, (short) (NLM_F_REQUEST | NLM_F_ACK));
      req.putInt(8, sequence);
      if (libc.sendto(fd, req, NLMSG_HDRLEN, 0, addr, 12) < 0) {
        return AuditStatusResult.unavailable(
            "cannot send AUDIT_GET: " + errnoText(LastError.getLastError(runtime)));
      }
      int bufSize = 16384;
      Pointer buf = Memory.allocateDirect(runtime, bufSize, true);
      // The status reply and the ACK arrive in either order (newer kernels send the reply from a
      // separate thread); a few reads cover both.
      for (int attempt = 0; attempt < 8; attempt++) {
        long n = libc.recv(fd, buf, bufSize, 0);
        if (n < 0) {
          int errno = LastError.getLastError(runtime);
          return AuditStatusResult.unavailable(
              errno == 11
                  ? "the kernel did not answer AUDIT_GET within 1 s"
                  : "recv: " + errnoText(errno));
        }
        int off = 0;
        while (off + NLMSG_HDRLEN <= n) {
          int len = buf.getInt(off);
          int type = buf.getShort(off + 4) & 0xffff;
          if (len < NLMSG_HDRLEN || off + len > n) {
            break;
          }
          if (type == NLMSG_ERROR && len >= NLMSG_HDRLEN + 4) {
            int error = -buf.getInt(off + NLMSG_HDRLEN);
            if (error != 0) {
              return AuditStatusResult.unavailable("AUDIT_GET refused: " + errnoText(error));
            }
          } else if (type == AUDIT_GET && len >= NLMSG_HDRLEN + 32) {
            int p = off + NLMSG_HDRLEN;
            return AuditStatusResult.of(
                new AuditStatus(
                    u32(buf, p + 4),
                    u32(buf, p + 8),
                    u32(buf, p + 12),
                    u32(buf, p + 16),
                    u32(buf, p + 20),
                    u32(buf, p + 24),
                    u32(buf, p + 28)));
          }
          off += (len + 3) & ~3;
        }
      }
      return AuditStatusResult.unavailable("no AUDIT_GET reply from the kernel");
    } finally {
      libc.close(fd);
    }
  }

  private static long u32(Pointer p, int off) {
    return Integer.toUnsignedLong(p.getInt(off));
  }

  static String errnoText(int errno) {
    String name =
        switch (errno) {
          case 1 ->
              "EPERM: not permitted (needs root with CAP_AUDIT_CONTROL in the initial user"
                  + " namespace)";
          case 13 -> "EACCES: permission denied";
          case 93 -> "EPROTONOSUPPORT: the kernel has no audit support";
          case 97 -> "EAFNOSUPPORT: no netlink";
          case 111 -> "ECONNREFUSED: audit not available in this namespace (container?)";
          case 11 -> "EAGAIN: timed out";
          default -> "errno " + errno;
        };
    return name;
  }

  @Override
  public String description() {
    return "libc";
  }
}
