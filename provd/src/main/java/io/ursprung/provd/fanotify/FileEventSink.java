package io.ursprung.provd.fanotify;

/** Where file events go (Kafka in provd, a list in tests). Must not block for long. */
public interface FileEventSink {
  /**
   * Publishes one record.
   *
   * @param host the Kafka key: the host the event happened on
   * @param json the mmwatch-shaped JSON, UTF-8
   */
  void publish(String host, byte[] json);
}
