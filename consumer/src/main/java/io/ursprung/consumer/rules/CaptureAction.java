package io.ursprung.consumer.rules;

import io.ursprung.provd.capture.CapturedLine;
import io.ursprung.provd.control.ProvdClient;
import io.ursprung.provd.control.ProvdException;
import io.ursprung.provd.control.SecretFile;
import io.ursprung.rules.Action;
import io.ursprung.rules.LineExtractor;
import io.ursprung.rules.Rule;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code CAPTURESOUT MATCH regex FIELDS specs DELIM d INTO target}: asks provd on the triggering
 * process's host ({@code host} field; address from {@code rules.provd.host.<host>}, else the host
 * name and {@code rules.provd.port}) to capture the lines of that process ({@code pid}) that fully
 * match {@code regex}, and turns each into a record through {@link LineExtractor}, committed as it
 * comes. The work item is finished when the capture ends (the process exited, provd stopped it).
 *
 * <p>provd refusing (no such process, cap reached, bad secret) parks the item as failed at once; a
 * lost connection is retried with backoff, and so is a capture cut by a consumer restart: the retry
 * attaches again, so lines printed while no consumer listened are not captured.
 */
final class CaptureAction implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureAction.class);

  private final Outputs outputs;
  private final RuleSettings settings;
  private final Set<ProvdClient.Capture> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  CaptureAction(Outputs outputs, RuleSettings settings) {
    this.outputs = outputs;
    this.settings = settings;
  }

  void run(Rule rule, Action.CaptureStdout a, WorkItem item) throws Exception {
    if (!(item.fields().get("pid") instanceof Long pid) || pid < 1 || pid > Integer.MAX_VALUE) {
      throw new PermanentException("the event has no process (pid)");
    }
    String host = item.eventHost();
    String address = settings.provdHosts().getOrDefault(host, host);
    int port = settings.provdPort();
    int colon = address.lastIndexOf(':');
    if (colon > 0 && address.indexOf(':') == colon) {
      port = Integer.parseInt(address.substring(colon + 1));
      address = address.substring(0, colon);
    }
    byte[] secret;
    try {
      secret = SecretFile.read(settings.provdSecretFile());
    } catch (IllegalArgumentException e) {
      throw new PermanentException(e.getMessage(), e);
    }
    ProvdClient client = new ProvdClient(address, port, secret);
    ProvdClient.Capture capture;
    try {
      capture = client.capture((int) (long) pid, a.match().source());
    } catch (ProvdException e) {
      if (e.refused()) {
        throw new PermanentException(
            "provd at " + address + ":" + port + " refused: " + e.getMessage());
      }
      throw e;
    }
    open.add(capture);
    long lines = 0;
    long skipped = 0;
    try {
      if (closed) {
        throw new InterruptedException("the engine is stopping");
      }
      LOG.info("CAPTURESOUT pid {} on {} ({})", pid, host, capture.mode());
      for (CapturedLine l = capture.next(); l != null; l = capture.next()) {
        if (!a.match().matchesFully(l.text())) {
          continue;
        }
        java.util.List<String> record;
        try {
          record = LineExtractor.extract(l.text(), a.delimiter(), a.fields(), item.eventFields());
        } catch (LineExtractor.MismatchException e) {
          skipped++;
          continue;
        }
        outputs.run(
            a.target(),
            null,
            u -> {
              u.emit(record);
              return null;
            });
        lines++;
      }
      LOG.info(
          "CAPTURESOUT pid {} on {} ended ({}): {} records, {} lines did not fit the specs",
          pid,
          host,
          capture.endReason(),
          lines,
          skipped);
    } finally {
      open.remove(capture);
      capture.close();
    }
    outputs.run(null, item, u -> null);
  }

  /** Hangs up every capture, so the threads blocked on them return. */
  @Override
  public void close() {
    closed = true;
    for (ProvdClient.Capture c : open) {
      c.close();
    }
  }
}
