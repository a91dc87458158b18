package io.ursprung.plugin;

import io.ursprung.events.ProvEvent;
import io.ursprung.plugin.sink.EventSink;
import io.ursprung.plugin.sink.SinkStats;

/**
 * The sink the audit processor holds, whose target can be replaced on SIGHUP (new Kafka settings)
 * without rebuilding the processor and losing its in-flight events. Only the processing thread
 * calls {@link #accept} and {@link #replace}; {@link #stats} may be read from any thread.
 */
final class SwitchableSink implements EventSink {
  private volatile EventSink target;

  /** Totals of replaced targets, so that counters stay cumulative across a reload. */
  private volatile SinkStats base = SinkStats.NONE;

  SwitchableSink(EventSink target) {
    this.target = target;
  }

  /**
   * Closes the current target, then installs the one {@code factory} makes (a Kafka sink needs the
   * spool directory the old one held). When that fails, {@code fallback} makes the replacement.
   */
  void replace(
      java.util.function.Supplier<EventSink> factory,
      java.util.function.Supplier<EventSink> fallback) {
    EventSink old = target;
    old.flush();
    old.close();
    SinkStats s = old.stats();
    base =
        new SinkStats(
            base.accepted() + s.accepted(),
            base.sent() + s.sent(),
            base.spooled() + s.spooled(),
            base.dropped() + s.dropped(),
            0,
            0);
    try {
      target = factory.get();
    } catch (RuntimeException e) {
      target = fallback.get();
      throw e;
    }
  }

  @Override
  public void accept(ProvEvent event) {
    target.accept(event);
  }

  @Override
  public void flush() {
    target.flush();
  }

  @Override
  public SinkStats stats() {
    SinkStats b = base;
    SinkStats s = target.stats();
    return new SinkStats(
        b.accepted() + s.accepted(),
        b.sent() + s.sent(),
        b.spooled() + s.spooled(),
        b.dropped() + s.dropped(),
        s.spoolPending(),
        s.spoolBytes());
  }

  @Override
  public void close() {
    target.close();
  }
}
