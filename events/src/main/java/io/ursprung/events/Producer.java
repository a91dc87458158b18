package io.ursprung.events;

import java.util.Objects;

/**
 * Which program produced an event, so a consumer can tell plugin versions apart when a bug in one
 * of them has to be corrected after the fact.
 *
 * @param name a stable program name such as {@code ursprung-auditd-plugin}
 * @param version the producing program's version
 */
public record Producer(String name, String version) {
  public Producer {
    Objects.requireNonNull(name, "producer name");
    Objects.requireNonNull(version, "producer version");
    if (name.isBlank()) {
      throw new IllegalArgumentException("producer name must not be blank");
    }
  }
}
