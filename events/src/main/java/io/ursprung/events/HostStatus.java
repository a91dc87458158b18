package io.ursprung.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A producer's periodic report on its host's capture: the kernel audit status it could read and its
 * own counters. Not provenance: consumers keep only the latest report per host (the dashboard's
 * "lost events" come from here), so that a loss the kernel admits is visible next to the graph it
 * made incomplete.
 *
 * @param kernel the kernel audit status, or why the producer could not read it
 * @param counters the producer's own counters since it started
 * @param intervalSeconds how often the producer reports; a report much older than this is stale
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostStatus(Kernel kernel, Counters counters, Long intervalSeconds)
    implements EventData {
  public HostStatus {
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(counters, "counters");
  }

  @Override
  public EventType type() {
    return EventType.HOST_STATUS;
  }

  /**
   * The kernel audit status ({@code auditctl -s}). When it could not be read (not root, no audit in
   * the kernel, no native access) {@code available} is false, {@code reason} says why and the
   * numbers are absent: a missing number is never reported as zero.
   *
   * @param available whether the kernel answered
   * @param reason why it is not available; absent when it is
   * @param enabled 0 off, 1 on, 2 locked
   * @param lost records the kernel dropped since boot
   * @param backlog records waiting in the kernel queue
   * @param backlogLimit the queue's bound
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Kernel(
      boolean available, String reason, Long enabled, Long lost, Long backlog, Long backlogLimit) {
    public Kernel {
      if (available && (lost == null || backlog == null)) {
        throw new IllegalArgumentException("an available kernel status needs lost and backlog");
      }
      if (!available && (reason == null || reason.isBlank())) {
        throw new IllegalArgumentException("an unavailable kernel status needs a reason");
      }
    }

    /** A status the kernel returned. */
    public static Kernel of(long enabled, long lost, long backlog, long backlogLimit) {
      return new Kernel(true, null, enabled, lost, backlog, backlogLimit);
    }

    /** No status, because of {@code reason}. */
    public static Kernel unavailable(String reason) {
      return new Kernel(false, reason, null, null, null, null);
    }
  }

  /**
   * The producer's counters since it started.
   *
   * @param eventsPublished provenance events produced
   * @param inputDropped input lines dropped because processing fell behind, or unreadable
   * @param sinkDropped events the sink dropped (spool full)
   * @param spooled events written to the disk spool while the broker was unreachable
   * @param spoolPending events in the spool not yet sent
   */
  public record Counters(
      long eventsPublished, long inputDropped, long sinkDropped, long spooled, long spoolPending) {}
}
