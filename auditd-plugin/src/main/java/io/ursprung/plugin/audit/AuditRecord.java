package io.ursprung.plugin.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One audit record line, kept as bytes. The header (node, type, time stamp, serial) is parsed
 * eagerly; the body's fields are indexed only when first asked for, because most records of a busy
 * stream (EOE, PROCTITLE) are never looked into.
 */
public final class AuditRecord {
  /** Field value kinds. */
  static final int TOKEN = 0;

  static final int QUOTED = 1;
  static final int SINGLE_QUOTED = 2;

  private static final int STRIDE = 5;

  final byte[] buf;
  private final int typeStart;
  private final int typeEnd;
  private final int bodyStart;
  private final int bodyEnd;
  private final int tailStart;
  final String node;
  final int type;
  final long timeMs;
  final long serial;

  // ks, ke, vs, ve, kind per field; null until indexed
  private int[] idx;
  private int count;
  private int hint;

  AuditRecord(
      byte[] buf,
      String node,
      int typeStart,
      int typeEnd,
      int type,
      long timeMs,
      long serial,
      int bodyStart,
      int bodyEnd,
      int tailStart) {
    this.buf = buf;
    this.node = node;
    this.typeStart = typeStart;
    this.typeEnd = typeEnd;
    this.type = type;
    this.timeMs = timeMs;
    this.serial = serial;
    this.bodyStart = bodyStart;
    this.bodyEnd = bodyEnd;
    this.tailStart = tailStart;
  }

  /** The record type code ({@link RecordTypes}). */
  public int type() {
    return type;
  }

  /** The record type name as written in the line. */
  public String typeName() {
    return Text.ascii(buf, typeStart, typeEnd);
  }

  /** Event time stamp, milliseconds since the epoch. */
  public long timeMs() {
    return timeMs;
  }

  /** Audit serial. */
  public long serial() {
    return serial;
  }

  /** The node name, or null without a node= prefix. */
  public String node() {
    return node;
  }

  private void index() {
    int[] a = new int[STRIDE * 16];
    int n = 0;
    final byte[] b = buf;
    int p = bodyStart;
    final int end = bodyEnd;
    while (p < end) {
      while (p < end && b[p] == ' ') {
        p++;
      }
      if (p >= end) {
        break;
      }
      int ks = p;
      while (p < end && b[p] != '=' && b[p] != ' ') {
        p++;
      }
      if (p >= end || b[p] == ' ') {
        // bare token such as "avc:" or "denied"; nothing to index
        continue;
      }
      int ke = p;
      p++; // '='
      int vs;
      int ve;
      int kind;
      if (p < end && b[p] == '"') {
        vs = ++p;
        while (p < end && b[p] != '"') {
          p++;
        }
        ve = p;
        if (p < end) {
          p++;
        }
        kind = QUOTED;
      } else if (p < end && b[p] == '\'') {
        vs = ++p;
        while (p < end && b[p] != '\'') {
          p++;
        }
        ve = p;
        if (p < end) {
          p++;
        }
        kind = SINGLE_QUOTED;
      } else {
        vs = p;
        while (p < end && b[p] != ' ') {
          p++;
        }
        ve = p;
        kind = TOKEN;
      }
      if (n * STRIDE + STRIDE > a.length) {
        a = java.util.Arrays.copyOf(a, a.length * 2);
      }
      int o = n * STRIDE;
      a[o] = ks;
      a[o + 1] = ke;
      a[o + 2] = vs;
      a[o + 3] = ve;
      a[o + 4] = kind;
      n++;
    }
    idx = a;
    count = n;
  }

  /** Number of fields in the body. */
  public int fieldCount() {
    if (idx == null) {
      index();
    }
    return count;
  }

  /** Index of the field with this (ASCII) key, or -1. */
  public int find(byte[] key) {
    if (idx == null) {
      index();
    }
    final int n = count;
    final int[] a = idx;
    final byte[] b = buf;
    final int kl = key.length;
    // fields tend to be looked up in line order, so start after the last hit
    for (int j = 0, i = hint; j < n; j++, i = (i + 1 == n ? 0 : i + 1)) {
      int o = i * STRIDE;
      int ks = a[o];
      if (a[o + 1] - ks != kl || b[ks] != key[0]) {
        continue;
      }
      boolean eq = true;
      for (int k = 1; k < kl; k++) {
        if (b[ks + k] != key[k]) {
          eq = false;
          break;
        }
      }
      if (eq) {
        hint = i + 1 == n ? 0 : i + 1;
        return i;
      }
    }
    return -1;
  }

  int keyStart(int f) {
    return idx[f * STRIDE];
  }

  int keyEnd(int f) {
    return idx[f * STRIDE + 1];
  }

  int valStart(int f) {
    return idx[f * STRIDE + 2];
  }

  int valEnd(int f) {
    return idx[f * STRIDE + 3];
  }

  int kind(int f) {
    return idx[f * STRIDE + 4];
  }

  /** The key of field f. */
  public String key(int f) {
    return Text.ascii(buf, keyStart(f), keyEnd(f));
  }

  /** True when field f is absent-valued: (null), (none) or ?. */
  boolean isAbsent(int f) {
    if (kind(f) != TOKEN) {
      return false;
    }
    return Text.isAbsentToken(buf, valStart(f), valEnd(f));
  }

  /** Whether the record has the field with a present value. */
  public boolean has(byte[] key) {
    int f = find(key);
    return f >= 0 && !isAbsent(f);
  }

  /** A decimal field (signed), or dflt when missing or not a number. */
  public long dec(byte[] key, long dflt) {
    int f = find(key);
    if (f < 0) {
      return dflt;
    }
    return Text.parseDec(buf, valStart(f), valEnd(f), dflt);
  }

  /**
   * An unsigned 64-bit decimal field (inode) as a long with the same bits, or null when missing,
   * not a number or out of range.
   */
  public Long unsignedDec(byte[] key) {
    int f = find(key);
    if (f < 0) {
      return null;
    }
    return Text.parseUnsignedDec(buf, valStart(f), valEnd(f));
  }

  /** A hexadecimal field (a0..a3, arch), or dflt when missing or not hex. */
  public long hex(byte[] key, long dflt) {
    int f = find(key);
    if (f < 0) {
      return dflt;
    }
    return Text.parseHex(buf, valStart(f), valEnd(f), dflt);
  }

  /** An octal field (mode), or dflt. */
  public long oct(byte[] key, long dflt) {
    int f = find(key);
    if (f < 0) {
      return dflt;
    }
    return Text.parseOct(buf, valStart(f), valEnd(f), dflt);
  }

  /** The literal text of a field (no hex decoding), or null when missing or absent-valued. */
  public String raw(byte[] key) {
    int f = find(key);
    if (f < 0 || isAbsent(f)) {
      return null;
    }
    return Text.ascii(buf, valStart(f), valEnd(f));
  }

  /**
   * A field that the kernel writes "encoded" (name, cwd, exe, comm, aN ...): quoted means literal,
   * unquoted upper-case hex means bytes; absent markers give null.
   */
  public String encoded(byte[] key) {
    int f = find(key);
    return f < 0 ? null : encodedAt(f);
  }

  /** {@link #encoded(byte[])} of field f. */
  public String encodedAt(int f) {
    if (isAbsent(f)) {
      return null;
    }
    int vs = valStart(f);
    int ve = valEnd(f);
    if (kind(f) == TOKEN && Text.isHex(buf, vs, ve)) {
      return Text.decodeHexString(buf, vs, ve);
    }
    return Text.string(buf, vs, ve);
  }

  /** The decoded bytes of an always-hex field (saddr), or null. */
  public byte[] hexBytes(byte[] key) {
    int f = find(key);
    if (f < 0 || isAbsent(f)) {
      return null;
    }
    int vs = valStart(f);
    int ve = valEnd(f);
    if (!Text.isHex(buf, vs, ve)) {
      return null;
    }
    return Text.decodeHex(buf, vs, ve);
  }

  /** Whether field f's raw value equals these bytes (used to skip re-decoding unchanged values). */
  public boolean valueEquals(int f, byte[] other) {
    int vs = valStart(f);
    int len = valEnd(f) - vs;
    if (other == null || other.length != len) {
      return false;
    }
    return java.util.Arrays.equals(buf, vs, vs + len, other, 0, len);
  }

  /** A copy of the raw value bytes of field f. */
  public byte[] valueBytes(int f) {
    return java.util.Arrays.copyOfRange(buf, valStart(f), valEnd(f));
  }

  /**
   * A value from the ENRICHED tail (after byte 0x1D), for example {@code UID} gives the user name
   * auditd resolved; null when the line has no tail or no such key.
   */
  public String enriched(String key) {
    if (tailStart < 0) {
      return null;
    }
    final byte[] b = buf;
    int p = tailStart;
    final int end = b.length;
    final int kl = key.length();
    while (p < end) {
      while (p < end && b[p] == ' ') {
        p++;
      }
      int ks = p;
      while (p < end && b[p] != '=' && b[p] != ' ') {
        p++;
      }
      if (p >= end || b[p] == ' ') {
        continue;
      }
      int ke = p++;
      int vs;
      int ve;
      boolean quoted = false;
      if (p < end && b[p] == '"') {
        vs = ++p;
        while (p < end && b[p] != '"') {
          p++;
        }
        ve = p;
        quoted = true;
        if (p < end) {
          p++;
        }
      } else if (p < end && b[p] == '{') {
        vs = p;
        while (p < end && b[p] != '}') {
          p++;
        }
        if (p < end) {
          p++;
        }
        ve = p;
      } else {
        vs = p;
        while (p < end && b[p] != ' ') {
          p++;
        }
        ve = p;
      }
      if (ke - ks == kl && Text.regionEquals(b, ks, key)) {
        if (!quoted && Text.isHex(b, vs, ve)) {
          return Text.decodeHexString(b, vs, ve);
        }
        return Text.string(b, vs, ve);
      }
    }
    return null;
  }

  /** All fields, decoded by field name, for the raw-syscall event. */
  public Map<String, String> fieldMap() {
    int n = fieldCount();
    Map<String, String> m = new LinkedHashMap<>(n * 2);
    for (int f = 0; f < n; f++) {
      String k = key(f);
      String v;
      if (isAbsent(f)) {
        continue;
      } else if (kind(f) == TOKEN
          && Text.isEncodedField(type, k)
          && Text.isHex(buf, valStart(f), valEnd(f))) {
        v = Text.decodeHexString(buf, valStart(f), valEnd(f));
      } else {
        v = Text.string(buf, valStart(f), valEnd(f));
      }
      m.put(k, v);
    }
    return m;
  }

  /** The whole line as text, for error reports. */
  @Override
  public String toString() {
    return Text.printable(buf, 0, buf.length);
  }
}
