package io.ursprung.plugin.audit;

import io.ursprung.events.EventData;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import io.ursprung.plugin.model.OsModel;
import io.ursprung.plugin.model.ProcScan;
import io.ursprung.plugin.sink.EventSink;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The audit processing stage: record lines in, provenance events out. Parses each line's header,
 * assembles events by (node, serial), and feeds complete events in serial order into the {@link
 * OsModel}, whose derived events go to the sink with deterministic ids {@code
 * <host>:auditd:<serial>:<n>} (n counts the events derived from one audit event), so a replay of
 * the same input produces the same ids.
 */
public final class AuditStreamProcessor implements AuditProcessor {
  private static final System.Logger LOG = System.getLogger(AuditStreamProcessor.class.getName());

  /** At most this many malformed-line reports per minute; the rest are only counted. */
  private static final int REPORTS_PER_MINUTE = 10;

  /** Records after which an event without EOE is given up on when replaying at full speed. */
  private static final long RECORD_WINDOW = 10_000;

  private final String fallbackHost;
  private final Producer producer;
  private final EventSink sink;
  private final RecordParser parser = new RecordParser();
  private final EventAssembler assembler;
  private final OsModel model;

  private long records;
  private long provEvents;
  private long malformed;
  private long reportWindowStart;
  private int reportsInWindow;
  private long suppressed;

  /**
   * A processor.
   *
   * @param fallbackHost host name for records without a node= prefix
   * @param producer the producer named in every event
   * @param sink where events go
   * @param userNames user name by uid (null when unknown); called once per uid
   * @param groupNames group name by gid (null when unknown); called once per gid
   * @param eventTimeoutMillis how long an audit event may wait for its EOE
   * @param emitRawSyscalls also emit one RawSyscall event per syscall event
   */
  public AuditStreamProcessor(
      String fallbackHost,
      Producer producer,
      EventSink sink,
      IntFunction<String> userNames,
      IntFunction<String> groupNames,
      long eventTimeoutMillis,
      boolean emitRawSyscalls) {
    this.fallbackHost = sanitizeHost(fallbackHost);
    this.producer = producer;
    this.sink = sink;
    long timeout = Math.max(1, eventTimeoutMillis);
    this.model = new OsModel(this::emit, userNames, groupNames, emitRawSyscalls, timeout);
    this.assembler = new EventAssembler(timeout, RECORD_WINDOW, this::applyEvent);
  }

  /**
   * A host name events may carry (ProvEvent.HOST_NAME: letters, digits, '.', '_', '-', starting
   * with a letter or digit, at most 253): consumers dead-letter any other, and auditd's node= can
   * be anything the admin chose (name_format = numeric gives "fe80::1" on IPv6, user names may have
   * spaces or colons). Every other character becomes '-', deterministically, so all events of a
   * node still share one host; a leading '-' or '.' gets a "h" in front.
   */
  static String sanitizeHost(String h) {
    if (h == null || h.isBlank()) {
      return "localhost";
    }
    StringBuilder sb = null;
    int n = Math.min(h.length(), 253);
    for (int i = 0; i < n; i++) {
      char c = h.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || (i > 0 && (c == '.' || c == '_' || c == '-'));
      if (!ok && sb == null) {
        sb = new StringBuilder(n + 1).append(h, 0, i);
      }
      if (sb != null) {
        if (ok) {
          sb.append(c);
        } else {
          if (i == 0) {
            sb.append('h'); // a host name starts with a letter or digit
          }
          sb.append(c == '.' || c == '_' || c == '-' ? c : '-');
        }
      }
    }
    if (sb == null) {
      return n == h.length() ? h : h.substring(0, n);
    }
    return sb.length() > 253 ? sb.substring(0, 253) : sb.toString();
  }

  @Override
  public void acceptLine(byte[] buf, int off, int len) {
    records++;
    AuditRecord r = parser.parse(buf, off, len);
    if (r == null) {
      malformed(parser.error(), buf, off, len);
      return;
    }
    String host = r.node == null ? fallbackHost : r.node;
    assembler.accept(r, host);
  }

  private void applyEvent(AuditEvent ev) {
    try {
      model.apply(ev);
    } catch (RuntimeException e) {
      // a model bug on one odd event must not end the stream; it is reported like a bad line
      malformed++;
      report("event " + ev.host + ":" + ev.serial + " failed in the model: " + e, ev.toString());
    }
  }

  private void emit(AuditEvent source, EventData data) {
    String host = source.host;
    if (host != fallbackHost && !host.equals(fallbackHost)) {
      host = validHost(host);
    }
    String id =
        source.tag == null
            ? host + ":auditd:" + source.serial + ":" + source.nextDerivedIndex()
            : host + ":auditd:" + source.tag + ":" + source.nextDerivedIndex();
    provEvents++;
    sink.accept(ProvEvent.of(id, producer, host, Instant.ofEpochMilli(source.timeMs), data));
  }

  private String lastRawHost;
  private String lastValidHost;

  private String validHost(String h) {
    if (h == lastRawHost) {
      return lastValidHost;
    }
    lastRawHost = h;
    lastValidHost = sanitizeHost(h);
    return lastValidHost;
  }

  private void malformed(String why, byte[] buf, int off, int len) {
    malformed++;
    report("malformed audit record (" + why + ")", Text.printable(buf, off, off + len));
  }

  private void report(String what, String content) {
    long now = System.currentTimeMillis();
    if (now - reportWindowStart >= 60_000) {
      if (suppressed > 0) {
        LOG.log(System.Logger.Level.WARNING, "{0} more audit problems not shown", suppressed);
      }
      reportWindowStart = now;
      reportsInWindow = 0;
      suppressed = 0;
    }
    if (reportsInWindow < REPORTS_PER_MINUTE) {
      reportsInWindow++;
      LOG.log(System.Logger.Level.WARNING, "{0}: {1}", what, content);
    } else {
      suppressed++;
    }
  }

  /**
   * Seeds the processes of a /proc snapshot under the fallback host, which is this machine's name
   * (audit's node= is the same name with {@code name_format = hostname}).
   */
  @Override
  public void seedRunningProcesses(ProcScan.Result snapshot, Map<Integer, Instant> restoredStarts) {
    model.seed(fallbackHost, snapshot.processes(), snapshot.scannedAtMs(), restoredStarts);
  }

  @Override
  public List<ProcessRef> liveProcessRefs() {
    return model.liveProcessRefs(fallbackHost);
  }

  @Override
  public void tick(long nowMillis) {
    assembler.tick(nowMillis);
    model.tick(nowMillis);
  }

  @Override
  public void endOfInput() {
    assembler.endOfInput();
    model.endOfInput();
    sink.flush();
  }

  @Override
  public AuditStats stats() {
    return new AuditStats(
        records, assembler.auditEvents, provEvents, malformed, assembler.timedOut);
  }

  /** Records that arrived after their event had been completed (dropped). */
  public long lateRecords() {
    return assembler.late;
  }

  /** Events waiting for completion or for a lower serial. */
  public int pendingEvents() {
    return assembler.pendingCount();
  }

  /** Live processes in the model. */
  public int liveProcesses() {
    return model.liveProcesses();
  }

  /** clone3 children not yet known to be threads or processes. */
  public int pendingClone3() {
    return model.pendingClone3();
  }
}
