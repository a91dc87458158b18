package io.ursprung.consumer;

import io.ursprung.events.MalformedEventException;
import java.sql.SQLException;

/**
 * Turns the messages of one source into graph rows and writes them. {@link ConsumerLoop} calls
 * {@link #add} for every message of a batch, then {@link #write} once; after that (or after a
 * failure) {@link #reset}.
 */
public interface SourceHandler {

  /**
   * Adds one message to the pending batch.
   *
   * @throws MalformedEventException when the message can never be used (it is dead-lettered)
   */
  void add(byte[] key, byte[] value, String topic, int partition, long offset)
      throws MalformedEventException;

  /**
   * Does now, on the calling thread, what {@link #write} can do ahead of the transaction (the
   * pipelined loop calls it on its polling thread, see {@link ConsumerLoop}); nothing may be added
   * after it. Optional.
   */
  default void prepare() {}

  /** Writes everything added since the last reset in one transaction. */
  void write() throws SQLException;

  /** Forgets what was added. */
  void reset();

  /** Source events added since the last reset. */
  int events();
}
