package io.ursprung.plugin.nativeaccess;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to an audit status query: the status, or the reason it is not available (not root, no
 * {@code CAP_AUDIT_CONTROL}, inside a container's user namespace, no audit in the kernel, no native
 * access). Not having it is an expected condition, so it is a value and not an exception.
 *
 * @param status the status, when the kernel answered
 * @param reason why there is no status; empty when there is one
 */
public record AuditStatusResult(Optional<AuditStatus> status, String reason) {
  public AuditStatusResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    if (status.isEmpty() && reason.isBlank()) {
      throw new IllegalArgumentException("an unavailable status needs a reason");
    }
  }

  /** A status the kernel returned. */
  public static AuditStatusResult of(AuditStatus status) {
    return new AuditStatusResult(Optional.of(status), "");
  }

  /** No status, because of {@code reason}. */
  public static AuditStatusResult unavailable(String reason) {
    return new AuditStatusResult(Optional.empty(), reason);
  }
}
