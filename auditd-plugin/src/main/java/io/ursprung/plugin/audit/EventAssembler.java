package io.ursprung.plugin.audit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Groups records into events by (node, serial) and hands complete events on in serial order per
 * node.
 *
 * <p>An event is complete on EOE; on its PROCTITLE record while the node has never sent an EOE
 * (audit.log files and audisp-remote streams have none, and PROCTITLE is the kernel's last record
 * of a syscall event); at once for single-record types; and otherwise when it has waited too long.
 * "Too long" is measured three ways, because each fails somewhere: wall-clock ticks (a live stream
 * that goes quiet), the node's own event clock advancing by the time-out, and the number of records
 * that arrived after it (replaying a log file at full speed, where the wall clock says nothing).
 *
 * <p>Completed events wait in a heap until no incomplete event of the same node has a lower serial,
 * so interleaved events leave in serial order while a stuck event blocks others only until it times
 * out.
 */
final class EventAssembler {
  static final long UNSET = Long.MIN_VALUE;
  private static final int RECENT = 8192;
  private static final Comparator<AuditEvent> BY_SERIAL =
      (a, b) -> Long.compareUnsigned(a.serial, b.serial);

  private final long timeoutMs;
  private final long recordWindow;
  private final Consumer<AuditEvent> out;
  private final Map<String, NodeState> nodes = new HashMap<>();
  private NodeState lastNode;
  private long firstTick = UNSET;
  private long lastTick = UNSET;
  long auditEvents;
  long timedOut;
  long late;

  EventAssembler(long timeoutMs, long recordWindow, Consumer<AuditEvent> out) {
    this.timeoutMs = timeoutMs;
    this.recordWindow = recordWindow;
    this.out = out;
  }

  private static final class NodeState {
    final String host;
    final HashMap<Long, AuditEvent> pending = new HashMap<>();
    final ArrayDeque<AuditEvent> arrival = new ArrayDeque<>();
    final PriorityQueue<AuditEvent> pendingBySerial = new PriorityQueue<>(BY_SERIAL);
    final PriorityQueue<AuditEvent> ready = new PriorityQueue<>(BY_SERIAL);
    final long[] recent = new long[RECENT];
    long records;
    long clock = Long.MIN_VALUE;
    boolean eoeSeen;
    // the event most records go to, so the map is not consulted for each of them
    AuditEvent current;

    NodeState(String host) {
      this.host = host;
      Arrays.fill(recent, -1L);
    }
  }

  private NodeState node(String host) {
    NodeState ns = lastNode;
    if (ns != null && ns.host == host) {
      return ns;
    }
    ns = nodes.get(host);
    if (ns == null) {
      ns = new NodeState(host);
      nodes.put(host, ns);
    }
    lastNode = ns;
    return ns;
  }

  void accept(AuditRecord r, String host) {
    NodeState ns = node(host);
    ns.records++;
    if (r.timeMs > ns.clock) {
      ns.clock = r.timeMs;
    }
    final int type = r.type;
    if (RecordTypes.isSingleRecord(type)) {
      AuditEvent ev = new AuditEvent(host, r.serial, r.timeMs);
      ev.add(r);
      ev.complete = true;
      auditEvents++;
      ns.ready.add(ev);
      release(ns);
      expire(ns);
      return;
    }
    final long serial = r.serial;
    AuditEvent ev = ns.current;
    if (ev == null || ev.serial != serial || ev.complete) {
      ev = ns.pending.get(serial);
      if (ev == null) {
        if (ns.recent[(int) (serial & (RECENT - 1))] == serial) {
          if (type != RecordTypes.EOE) {
            late++;
          } else {
            ns.eoeSeen = true;
          }
          return;
        }
        if (type == RecordTypes.EOE) {
          ns.eoeSeen = true;
          return;
        }
        ev = new AuditEvent(host, serial, r.timeMs);
        ev.arrivalIndex = ns.records;
        ev.arrivalClock = ns.clock;
        ev.arrivalWall = lastTick;
        ns.pending.put(serial, ev);
        ns.arrival.add(ev);
        ns.pendingBySerial.add(ev);
      }
      ns.current = ev;
    }
    if (type == RecordTypes.EOE) {
      ns.eoeSeen = true;
      complete(ns, ev, false);
    } else {
      ev.add(r);
      if (type == RecordTypes.PROCTITLE && !ns.eoeSeen) {
        complete(ns, ev, false);
      }
    }
    expire(ns);
  }

  private void complete(NodeState ns, AuditEvent ev, boolean byTimeout) {
    ns.pending.remove(ev.serial);
    ev.complete = true;
    ev.timedOut = byTimeout;
    if (byTimeout) {
      timedOut++;
    }
    ns.recent[(int) (ev.serial & (RECENT - 1))] = ev.serial;
    auditEvents++;
    if (ev.records.isEmpty()) {
      return;
    }
    ns.ready.add(ev);
    release(ns);
  }

  private void release(NodeState ns) {
    PriorityQueue<AuditEvent> pend = ns.pendingBySerial;
    while (!pend.isEmpty() && pend.peek().complete) {
      pend.poll();
    }
    AuditEvent lowestPending = pend.peek();
    PriorityQueue<AuditEvent> ready = ns.ready;
    while (!ready.isEmpty()) {
      AuditEvent head = ready.peek();
      if (lowestPending != null && Long.compareUnsigned(head.serial, lowestPending.serial) > 0) {
        break;
      }
      ready.poll();
      out.accept(head);
    }
  }

  private void expire(NodeState ns) {
    ArrayDeque<AuditEvent> q = ns.arrival;
    AuditEvent head;
    while ((head = q.peek()) != null) {
      if (head.complete) {
        q.poll();
        continue;
      }
      if (ns.records - head.arrivalIndex > recordWindow
          || ns.clock - head.arrivalClock >= timeoutMs) {
        q.poll();
        complete(ns, head, true);
        continue;
      }
      break;
    }
  }

  void tick(long now) {
    if (firstTick == UNSET) {
      firstTick = now;
    }
    lastTick = now;
    for (NodeState ns : nodes.values()) {
      ArrayDeque<AuditEvent> q = ns.arrival;
      AuditEvent head;
      while ((head = q.peek()) != null) {
        if (head.complete) {
          q.poll();
          continue;
        }
        long arrived = head.arrivalWall == UNSET ? firstTick : head.arrivalWall;
        if (now - arrived >= timeoutMs) {
          q.poll();
          complete(ns, head, true);
          continue;
        }
        break;
      }
      release(ns);
    }
  }

  void endOfInput() {
    for (NodeState ns : nodes.values()) {
      List<AuditEvent> left = new ArrayList<>(ns.pending.values());
      left.sort(BY_SERIAL);
      for (AuditEvent ev : left) {
        complete(ns, ev, true);
      }
      ns.arrival.clear();
      release(ns);
    }
  }

  int pendingCount() {
    int n = 0;
    for (NodeState ns : nodes.values()) {
      n += ns.pending.size() + ns.ready.size();
    }
    return n;
  }
}
