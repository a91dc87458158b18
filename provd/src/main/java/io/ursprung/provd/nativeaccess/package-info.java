/**
 * Everything provd needs from Linux that the JDK does not offer — fanotify, ptrace, waitpid,
 * process_vm_readv, open_by_handle_at, statfs, NSS user look-up — behind one Java interface, {@link
 * io.ursprung.provd.nativeaccess.LinuxNative}.
 *
 * <p>This is the only package of provd that imports jnr-ffi. Callers see Java types and typed,
 * checked exceptions ({@link io.ursprung.provd.nativeaccess.NativeCallException} carrying the
 * errno); {@link io.ursprung.provd.nativeaccess.LinuxNative#load()} falls back to an implementation
 * that only resolves users from {@code /etc/passwd} and refuses everything else with {@link
 * io.ursprung.provd.nativeaccess.NativeUnavailableException}, so provd still uploads job records
 * where libc cannot be bound.
 */
package io.ursprung.provd.nativeaccess;
