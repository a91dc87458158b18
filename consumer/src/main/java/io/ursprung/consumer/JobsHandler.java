package io.ursprung.consumer;

import io.ursprung.db.jobs.JobRow;
import io.ursprung.db.jobs.JobStore;
import io.ursprung.events.EventCodec;
import io.ursprung.events.JobLifecycle;
import io.ursprung.events.MalformedEventException;
import io.ursprung.events.ProvEvent;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code jobs} source: {@code job} events uploaded by provd from the job spool become rows of
 * the insert-only job audit tables (docs/jobs.md). Every record is checked when it is added, so a
 * record that can never be stored is dead-lettered with its reason instead of failing its batch;
 * the write is keyed by the event id (a hash of the record file), so a re-delivered batch is a
 * no-op and offsets can follow the commit.
 */
public final class JobsHandler implements SourceHandler {
  private final EventCodec codec;
  private final JobStore store;
  private final List<JobRow> rows = new ArrayList<>();

  public JobsHandler(EventCodec codec, JobStore store) {
    this.codec = codec;
    this.store = store;
  }

  @Override
  public void add(byte[] key, byte[] value, String topic, int partition, long offset)
      throws MalformedEventException {
    ProvEvent e = codec.fromBytes(value);
    if (!(e.data() instanceof JobLifecycle j)) {
      throw new MalformedEventException(
          "the jobs source takes job events only, got " + e.data().type());
    }
    try {
      rows.add(
          JobRow.of(e.id(), e.host(), j.jobId(), j.stage(), j.user(), e.time(), j.attributes()));
    } catch (IllegalArgumentException ex) {
      throw new MalformedEventException("job record " + j.jobId() + ": " + ex.getMessage(), ex);
    }
  }

  @Override
  public void write() throws SQLException {
    store.write(rows);
  }

  @Override
  public void reset() {
    rows.clear();
  }

  @Override
  public int events() {
    return rows.size();
  }
}
