package io.ursprung.plugin.nativeaccess;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operating-system services the plugin needs, as Java types. Implementations are thread-safe.
 */
public interface NativeOs {

  /**
   * The name of a user id, through the system's name service (files, LDAP, SSSD).
   *
   * @return empty when no such user exists
   * @throws NativeAccessException when the lookup itself failed
   */
  Optional<String> userName(int uid);

  /**
   * The name of a group id.
   *
   * @return empty when no such group exists
   * @throws NativeAccessException when the lookup itself failed
   */
  Optional<String> groupName(int gid);

  /** The kernel audit status, or why it is not available. Never throws. */
  AuditStatusResult auditStatus();

  /** A short name for logs: {@code libc} or {@code fallback (reason)}. */
  String description();

  /**
   * The libc implementation when it can be bound, otherwise the pure-Java fallback (with the reason
   * logged once).
   */
  static NativeOs load() {
    try {
      return LibcNativeOs.load();
    } catch (NativeLibraryUnavailableException e) {
      Logger log = LoggerFactory.getLogger(NativeOs.class);
      log.warn(
          "native access unavailable, using /etc/passwd and /etc/group and no kernel audit"
              + " status: {}",
          e.getMessage());
      return new FallbackNativeOs(e.getMessage());
    }
  }

  /** The pure-Java implementation, reading {@code /etc/passwd} and {@code /etc/group}. */
  static NativeOs fallback() {
    return new FallbackNativeOs("chosen explicitly");
  }
}
