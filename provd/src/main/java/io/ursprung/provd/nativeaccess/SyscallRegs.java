package io.ursprung.provd.nativeaccess;

/**
 * The registers of a stopped x86_64 tracee that describe a system call ({@code struct
 * user_regs_struct} from {@code PTRACE_GETREGS}).
 *
 * @param origRax the system call number
 * @param rax {@code -ENOSYS} at syscall entry, the return value at syscall exit
 * @param rdi first argument
 * @param rsi second argument
 * @param rdx third argument
 */
public record SyscallRegs(long origRax, long rax, long rdi, long rsi, long rdx) {
  /** Whether this is a syscall-entry stop: x86_64 sets rax to -ENOSYS before the call runs. */
  public boolean atEntry() {
    return rax == -NativeCallException.ENOSYS;
  }
}
