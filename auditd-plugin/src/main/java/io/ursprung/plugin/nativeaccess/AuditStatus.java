package io.ursprung.plugin.nativeaccess;

/**
 * The kernel audit status, as {@code auditctl -s} prints it ({@code struct audit_status}).
 *
 * @param enabled 0 off, 1 on, 2 locked
 * @param failure failure action on loss: 0 silent, 1 printk, 2 panic
 * @param pid the registered audit daemon's pid, 0 when none
 * @param rateLimit records per second, 0 unlimited
 * @param backlogLimit the kernel queue bound ({@code -b})
 * @param lost records the kernel dropped since boot: the one number that proves capture was
 *     incomplete
 * @param backlog records waiting in the kernel queue now
 */
public record AuditStatus(
    long enabled,
    long failure,
    long pid,
    long rateLimit,
    long backlogLimit,
    long lost,
    long backlog) {}
