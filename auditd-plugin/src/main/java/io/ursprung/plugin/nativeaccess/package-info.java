/**
 * Everything the plugin needs from the operating system that the JDK does not offer, behind one
 * interface, {@link io.ursprung.plugin.nativeaccess.NativeOs}: user and group names through libc's
 * NSS (so LDAP and SSSD accounts resolve like they do for {@code ls -l}), and the kernel audit
 * status ({@code lost}, {@code backlog}) over a {@code NETLINK_AUDIT} socket.
 *
 * <p>This is the only package that imports jnr-ffi. {@link
 * io.ursprung.plugin.nativeaccess.NativeOs#load()} picks the libc implementation and falls back to
 * a pure-Java one (reads {@code /etc/passwd} and {@code /etc/group}; no audit status) when libc
 * cannot be loaded; tests use the fallback directly.
 */
package io.ursprung.plugin.nativeaccess;
