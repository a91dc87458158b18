package io.ursprung.plugin;

import io.ursprung.plugin.audit.AuditProcessor;
import io.ursprung.plugin.audit.AuditStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A processor that records what it was given, for tests of the plumbing around it. */
final class RecordingProcessor implements AuditProcessor {
  final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  final List<Long> ticks = Collections.synchronizedList(new ArrayList<>());
  volatile boolean ended;
  volatile io.ursprung.plugin.model.ProcScan.Result seeded;
  volatile java.util.Map<Integer, java.time.Instant> restored;
  volatile List<io.ursprung.events.ProcessRef> live = List.of();

  @Override
  public void acceptLine(byte[] buf, int off, int len) {
    lines.add(new String(buf, off, len, StandardCharsets.ISO_8859_1));
  }

  @Override
  public void seedRunningProcesses(
      io.ursprung.plugin.model.ProcScan.Result snapshot,
      java.util.Map<Integer, java.time.Instant> restoredStarts) {
    seeded = snapshot;
    restored = restoredStarts;
  }

  @Override
  public List<io.ursprung.events.ProcessRef> liveProcessRefs() {
    return live;
  }

  @Override
  public void tick(long nowMillis) {
    ticks.add(nowMillis);
  }

  @Override
  public void endOfInput() {
    ended = true;
  }

  @Override
  public AuditStats stats() {
    return new AuditStats(lines.size(), 0, 0, 0, 0);
  }
}
