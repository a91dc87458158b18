package io.ursprung.plugin.model;

import io.ursprung.events.EventData;
import io.ursprung.plugin.audit.AuditEvent;

/**
 * Receives what the model derives. The source audit event gives the provenance event its time and
 * its deterministic id.
 */
public interface Emitter {
  /** One derived event. */
  void emit(AuditEvent source, EventData data);
}
