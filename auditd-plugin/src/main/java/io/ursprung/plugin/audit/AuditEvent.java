package io.ursprung.plugin.audit;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of one audit event: same node, same serial. Also counts the provenance events derived
 * from it, which gives each of them its deterministic id.
 */
public final class AuditEvent {
  private static final byte[] ARGC = "argc".getBytes();
  private static final byte[] ITEM = "item".getBytes();

  final String host;
  final long serial;
  final ArrayList<AuditRecord> records = new ArrayList<>(6);
  long timeMs;
  AuditRecord syscall;
  boolean complete;
  boolean timedOut;
  // assembler bookkeeping: when the event's first record arrived, in the node's own terms
  long arrivalIndex;
  long arrivalClock;
  long arrivalWall;
  private int derived;
  // for events that stand for no audit record: names them in derived ids instead of the serial
  String tag;

  AuditEvent(String host, long serial, long timeMs) {
    this.host = host;
    this.serial = serial;
    this.timeMs = timeMs;
  }

  /** Creates an event from records, for tests and tools. */
  public static AuditEvent of(String host, List<AuditRecord> records) {
    AuditRecord first = records.get(0);
    AuditEvent e = new AuditEvent(host, first.serial, first.timeMs);
    for (AuditRecord r : records) {
      e.add(r);
    }
    return e;
  }

  /**
   * An event that stands for no audit record (what the model learnt elsewhere, such as from /proc
   * at start): events derived from it are timed at timeMs and get the ids {@code
   * <host>:auditd:<tag>:<n>}.
   */
  public static AuditEvent synthetic(String host, long timeMs, String tag) {
    AuditEvent e = new AuditEvent(host, -1, timeMs);
    e.tag = tag;
    e.complete = true;
    return e;
  }

  void add(AuditRecord r) {
    records.add(r);
    if (r.type == RecordTypes.SYSCALL && syscall == null) {
      syscall = r;
    }
  }

  /** The host (node name, or the configured fallback). */
  public String host() {
    return host;
  }

  /** The audit serial. */
  public long serial() {
    return serial;
  }

  /** Event time, milliseconds since the epoch. */
  public long timeMs() {
    return timeMs;
  }

  /** The SYSCALL record, wherever it stood in the event; null for non-syscall events. */
  public AuditRecord syscall() {
    return syscall;
  }

  /** All records, in arrival order. */
  public List<AuditRecord> records() {
    return records;
  }

  /** Whether the event was completed by a time-out rather than by EOE or its last record. */
  public boolean timedOut() {
    return timedOut;
  }

  /** The first record of a type, or null. */
  public AuditRecord first(int type) {
    for (int i = 0, n = records.size(); i < n; i++) {
      AuditRecord r = records.get(i);
      if (r.type == type) {
        return r;
      }
    }
    return null;
  }

  /** The next index for a provenance event derived from this audit event. */
  public int nextDerivedIndex() {
    return derived++;
  }

  /** The PATH record with item=n, or null. */
  public AuditRecord pathItem(int n) {
    for (int i = 0, size = records.size(); i < size; i++) {
      AuditRecord r = records.get(i);
      if (r.type == RecordTypes.PATH && r.dec(ITEM, -1) == n) {
        return r;
      }
    }
    return null;
  }

  /**
   * The argument vector from the EXECVE record(s): plain {@code aN}, and long arguments split into
   * {@code aN_len} plus {@code aN[i]} chunks, possibly continued in further EXECVE records. Missing
   * arguments (old kernels dropped empty ones) become empty strings.
   */
  public List<String> argv() {
    int argc = -1;
    String[] args = null;
    ByteArrayOutputStream[] chunks = null;
    for (int ri = 0, rn = records.size(); ri < rn; ri++) {
      AuditRecord r = records.get(ri);
      if (r.type != RecordTypes.EXECVE) {
        continue;
      }
      if (argc < 0) {
        long c = r.dec(ARGC, -1);
        if (c >= 0 && c < 1_000_000) {
          argc = (int) c;
          args = new String[argc];
        }
      }
      if (args == null) {
        continue;
      }
      final byte[] b = r.buf;
      for (int f = 0, n = r.fieldCount(); f < n; f++) {
        int ks = r.keyStart(f);
        int ke = r.keyEnd(f);
        if (b[ks] != 'a' || ke - ks < 2 || b[ks + 1] < '0' || b[ks + 1] > '9') {
          continue;
        }
        int p = ks + 1;
        int idx = 0;
        while (p < ke && b[p] >= '0' && b[p] <= '9') {
          idx = idx * 10 + (b[p] - '0');
          p++;
        }
        if (idx >= argc) {
          continue;
        }
        if (p == ke) {
          args[idx] = r.encodedAt(f);
        } else if (b[p] == '[') {
          int vs = r.valStart(f);
          int ve = r.valEnd(f);
          if (chunks == null) {
            chunks = new ByteArrayOutputStream[argc];
          }
          if (chunks[idx] == null) {
            chunks[idx] = new ByteArrayOutputStream();
          }
          byte[] part =
              r.kind(f) == AuditRecord.TOKEN && Text.isHex(b, vs, ve)
                  ? Text.decodeHex(b, vs, ve)
                  : java.util.Arrays.copyOfRange(b, vs, ve);
          chunks[idx].write(part, 0, part.length);
        }
        // aN_len only announces the total length
      }
    }
    if (args == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(argc);
    for (int i = 0; i < argc; i++) {
      String a = args[i];
      if (a == null && chunks != null && chunks[i] != null) {
        byte[] all = chunks[i].toByteArray();
        a = Text.string(all, 0, all.length);
      }
      out.add(a == null ? "" : a);
    }
    return out;
  }

  @Override
  public String toString() {
    return host + ":" + serial + records;
  }
}
