package io.ursprung.consumer.rules;

import io.ursprung.consumer.ScaleRecord;
import io.ursprung.events.ProvEvent;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a source handler calls for rules: every event of a batch goes to {@link #event}, the work of
 * matching rules is written by {@link #write} inside the batch's transaction, and {@link
 * #committed} wakes the action threads after the commit. One hook per handler; not thread-safe,
 * like the handler's batch.
 */
public interface RuleHook {

  /** The hook of a consumer without rules: every call returns at once. */
  RuleHook NONE =
      new RuleHook() {
        @Override
        public void event(ProvEvent e) {}

        @Override
        public void event(ScaleRecord r) {}

        @Override
        public boolean hasWork() {
          return false;
        }

        @Override
        public void write(Connection c) {}

        @Override
        public void committed() {}

        @Override
        public void reset() {}
      };

  /** Tests an auditd-plugin event against the rules. */
  void event(ProvEvent e);

  /** Tests a Spectrum Scale watch event against the rules. */
  void event(ScaleRecord r);

  /** Whether the events since the last reset matched any rule. */
  boolean hasWork();

  /** Inserts the work of the matching rules on {@code c}, inside the batch's transaction. */
  void write(Connection c) throws SQLException;

  /** The batch's transaction committed: the work is due. */
  void committed();

  /** Forgets the events since the last call (after a write, or when a batch is retried). */
  void reset();
}
