package io.ursprung.plugin;

import io.ursprung.events.Producer;
import io.ursprung.plugin.audit.AuditProcessor;
import io.ursprung.plugin.audit.AuditStreamProcessor;
import io.ursprung.plugin.sink.EventSink;
import java.util.function.IntFunction;

/**
 * Creates the {@link AuditProcessor}. The one place that names the implementation class, so that
 * the program and its tests depend only on the interface.
 */
final class AuditProcessors {
  private AuditProcessors() {}

  /**
   * The stream processor: assembles audit records into events, runs the OS model and emits
   * provenance events to {@code sink}.
   */
  static AuditProcessor create(
      String fallbackHost,
      Producer producer,
      EventSink sink,
      IntFunction<String> userNames,
      IntFunction<String> groupNames,
      long eventTimeoutMillis,
      boolean emitRawSyscalls) {
    return new AuditStreamProcessor(
        fallbackHost, producer, sink, userNames, groupNames, eventTimeoutMillis, emitRawSyscalls);
  }
}
