package io.ursprung.plugin.sink;

import io.ursprung.events.ProvEvent;

/**
 * Where the plugin's provenance events go: Kafka, a JSON-lines file, or a test collector. Called
 * from the processing thread; implementations must not block it for long (buffer, spool or count as
 * dropped instead).
 */
public interface EventSink extends AutoCloseable {

  /** Hands over one event. */
  void accept(ProvEvent event);

  /** Pushes out everything accepted so far. */
  void flush();

  /** Running counters; a sink that keeps none reports zeros. */
  default SinkStats stats() {
    return SinkStats.NONE;
  }

  @Override
  void close();
}
