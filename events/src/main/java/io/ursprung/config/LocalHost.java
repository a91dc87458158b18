package io.ursprung.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This machine's name as every Ursprung program names it by default. The plugin, provd and the
 * consumers must agree on it, because processes, file events and job records are joined by host:
 * the kernel's host name is what auditd writes with {@code name_format = hostname}, so it wins over
 * Java's resolver, which may return a different (qualified or aliased) name.
 */
public final class LocalHost {
  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  private LocalHost() {}

  /** The kernel's host name; Java's resolver only where /proc has none; empty if neither. */
  public static Optional<String> name() {
    try {
      String h = Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).trim();
      if (!h.isEmpty()) {
        return Optional.of(h);
      }
    } catch (IOException e) {
      // Not Linux, or /proc not mounted: ask Java.
    }
    try {
      return Optional.of(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
