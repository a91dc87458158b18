package io.ursprung.plugin.model;

/**
 * The syscalls the model understands, and their numbers per audit architecture. Numbers come from
 * the kernel's syscall tables (x86_64, i386, and the generic table used by aarch64); rules name
 * syscalls, but records carry numbers.
 */
enum Sys {
  OTHER,
  EXECVE,
  EXECVEAT,
  CLONE,
  CLONE3,
  FORK,
  VFORK,
  EXIT,
  EXIT_GROUP,
  OPEN,
  OPENAT,
  OPENAT2,
  CREAT,
  CLOSE,
  CLOSE_RANGE,
  DUP,
  DUP2,
  DUP3,
  FCNTL,
  PIPE,
  PIPE2,
  SOCKETPAIR,
  SOCKET,
  BIND,
  CONNECT,
  ACCEPT,
  ACCEPT4,
  LISTEN,
  RENAME,
  RENAMEAT,
  RENAMEAT2,
  UNLINK,
  UNLINKAT,
  RMDIR,
  LINK,
  LINKAT,
  SYMLINK,
  SYMLINKAT,
  TRUNCATE,
  FTRUNCATE,
  MKDIR,
  MKDIRAT,
  CHDIR,
  FCHDIR,
  SETPGID,
  SETSID,
  KILL,
  TKILL,
  TGKILL;

  /** AUDIT_ARCH values. */
  static final int ARCH_X86_64 = 0xc000003e;

  static final int ARCH_I386 = 0x40000003;
  static final int ARCH_AARCH64 = 0xc00000b7;

  /** s390x: read by name (no table here); its clone takes the flags as the second argument. */
  static final int ARCH_S390X = 0x80000016;

  /** The little-endian flag of AUDIT_ARCH values, which decides how sa_family is stored. */
  static final int ARCH_LE = 0x40000000;

  private static final Sys[] X86_64 = new Sys[512];
  private static final Sys[] I386 = new Sys[512];
  private static final Sys[] AARCH64 = new Sys[512];

  private final String wire = name().toLowerCase(java.util.Locale.ROOT);

  static {
    put(
        X86_64, 2, OPEN, 3, CLOSE, 22, PIPE, 32, DUP, 33, DUP2, 41, SOCKET, 42, CONNECT, 43,
        ACCEPT);
    put(X86_64, 49, BIND, 50, LISTEN, 53, SOCKETPAIR, 56, CLONE, 57, FORK, 58, VFORK, 59, EXECVE);
    put(X86_64, 60, EXIT, 72, FCNTL, 76, TRUNCATE, 77, FTRUNCATE, 80, CHDIR, 81, FCHDIR);
    put(X86_64, 82, RENAME, 83, MKDIR, 84, RMDIR, 85, CREAT, 86, LINK, 87, UNLINK, 88, SYMLINK);
    put(X86_64, 109, SETPGID, 112, SETSID, 231, EXIT_GROUP, 257, OPENAT, 258, MKDIRAT);
    put(X86_64, 263, UNLINKAT, 264, RENAMEAT, 265, LINKAT, 266, SYMLINKAT, 288, ACCEPT4);
    put(X86_64, 292, DUP3, 293, PIPE2, 316, RENAMEAT2, 322, EXECVEAT, 435, CLONE3);
    put(X86_64, 436, CLOSE_RANGE, 437, OPENAT2, 62, KILL, 200, TKILL, 234, TGKILL);

    put(I386, 1, EXIT, 2, FORK, 5, OPEN, 6, CLOSE, 8, CREAT, 9, LINK, 10, UNLINK, 11, EXECVE);
    put(I386, 12, CHDIR, 38, RENAME, 39, MKDIR, 40, RMDIR, 41, DUP, 42, PIPE, 55, FCNTL);
    put(I386, 57, SETPGID, 63, DUP2, 66, SETSID, 83, SYMLINK, 92, TRUNCATE, 93, FTRUNCATE);
    put(I386, 120, CLONE, 133, FCHDIR, 190, VFORK, 193, TRUNCATE, 194, FTRUNCATE, 221, FCNTL);
    put(I386, 252, EXIT_GROUP, 295, OPENAT, 296, MKDIRAT, 301, UNLINKAT, 302, RENAMEAT);
    put(I386, 303, LINKAT, 304, SYMLINKAT, 330, DUP3, 331, PIPE2, 353, RENAMEAT2, 358, EXECVEAT);
    put(I386, 359, SOCKET, 360, SOCKETPAIR, 361, BIND, 362, CONNECT, 363, LISTEN, 364, ACCEPT4);
    put(I386, 435, CLONE3, 436, CLOSE_RANGE, 437, OPENAT2, 37, KILL, 238, TKILL, 270, TGKILL);

    put(AARCH64, 23, DUP, 24, DUP3, 25, FCNTL, 34, MKDIRAT, 35, UNLINKAT, 36, SYMLINKAT);
    put(AARCH64, 37, LINKAT, 38, RENAMEAT, 45, TRUNCATE, 46, FTRUNCATE, 49, CHDIR, 50, FCHDIR);
    put(AARCH64, 56, OPENAT, 57, CLOSE, 59, PIPE2, 93, EXIT, 94, EXIT_GROUP, 154, SETPGID);
    put(AARCH64, 157, SETSID, 198, SOCKET, 199, SOCKETPAIR, 200, BIND, 201, LISTEN, 202, ACCEPT);
    put(AARCH64, 203, CONNECT, 220, CLONE, 221, EXECVE, 242, ACCEPT4, 276, RENAMEAT2);
    put(AARCH64, 281, EXECVEAT, 435, CLONE3, 436, CLOSE_RANGE, 437, OPENAT2);
    put(AARCH64, 129, KILL, 130, TKILL, 131, TGKILL);
  }

  private static void put(Sys[] table, Object... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      table[(Integer) pairs[i]] = (Sys) pairs[i + 1];
    }
  }

  private static final java.util.Map<String, Sys> BY_NAME = new java.util.HashMap<>();

  static {
    for (Sys s : values()) {
      if (s != OTHER) {
        BY_NAME.put(s.wire, s);
      }
    }
  }

  /** Whether the numbers of this architecture are known here. */
  static boolean knownArch(int arch) {
    return arch == ARCH_X86_64 || arch == ARCH_I386 || arch == ARCH_AARCH64;
  }

  /**
   * The syscall of a name as auditd's ENRICHED format writes it ({@code SYSCALL=openat}); OTHER
   * when not modelled or null. For architectures whose numbers are not in the tables here (ppc64le
   * on IBM Power, s390x): auditd knows every architecture's table and names the call.
   */
  static Sys named(String name) {
    Sys s = name == null ? null : BY_NAME.get(name);
    return s == null ? OTHER : s;
  }

  /** The syscall for an (arch, number) pair; OTHER when not modelled. */
  static Sys of(int arch, long nr) {
    Sys[] t;
    if (arch == ARCH_X86_64) {
      t = X86_64;
    } else if (arch == ARCH_I386) {
      t = I386;
    } else if (arch == ARCH_AARCH64) {
      t = AARCH64;
    } else {
      return OTHER;
    }
    if (nr < 0 || nr >= t.length) {
      return OTHER;
    }
    Sys s = t[(int) nr];
    return s == null ? OTHER : s;
  }

  /** Lower-case syscall name. */
  String wireName() {
    return wire;
  }
}
