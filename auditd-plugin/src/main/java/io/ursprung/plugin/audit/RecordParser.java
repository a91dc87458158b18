package io.ursprung.plugin.audit;

import java.util.Arrays;

/**
 * Parses the header of one record line: {@code [node=N ]type=T msg=audit(SEC.MSEC:SERIAL):} and
 * locates the body and the ENRICHED tail. Works on bytes, without regular expressions; the only
 * allocation per line is the record and its copy of the line (the caller reuses its buffer).
 */
final class RecordParser {
  static final byte GS = 0x1D;

  private byte[] lastNodeBytes;
  private String lastNode;
  private String error;

  /** Why the last {@link #parse} returned null. */
  String error() {
    return error;
  }

  /** The record, or null when the line is malformed (see {@link #error()}). */
  AuditRecord parse(byte[] in, int off, int len) {
    // trailing CR / NUL padding (binary-format leftovers) are not part of the record
    while (len > 0 && (in[off + len - 1] == '\r' || in[off + len - 1] == 0)) {
      len--;
    }
    if (len == 0) {
      error = "empty line";
      return null;
    }
    byte[] b = Arrays.copyOfRange(in, off, off + len);
    final int end = b.length;
    int p = 0;
    String node = null;
    if (Text.regionEquals(b, 0, "node=")) {
      int s = 5;
      p = s;
      while (p < end && b[p] != ' ') {
        p++;
      }
      node = node(b, s, p);
      while (p < end && b[p] == ' ') {
        p++;
      }
    }
    if (!Text.regionEquals(b, p, "type=")) {
      error = "no type=";
      return null;
    }
    int ts = p + 5;
    p = ts;
    while (p < end && b[p] != ' ') {
      p++;
    }
    int te = p;
    if (te == ts) {
      error = "empty type";
      return null;
    }
    while (p < end && b[p] == ' ') {
      p++;
    }
    if (!Text.regionEquals(b, p, "msg=audit(")) {
      error = "no msg=audit(";
      return null;
    }
    p += 10;
    long sec = 0;
    int ds = p;
    while (p < end && b[p] >= '0' && b[p] <= '9') {
      sec = sec * 10 + (b[p] - '0');
      p++;
    }
    if (p == ds || p - ds > 12 || p >= end || b[p] != '.') {
      error = "bad time stamp";
      return null;
    }
    p++;
    int fs = p;
    long frac = 0;
    while (p < end && b[p] >= '0' && b[p] <= '9') {
      if (p - fs < 3) {
        frac = frac * 10 + (b[p] - '0');
      }
      p++;
    }
    int digits = p - fs;
    if (digits == 0 || p >= end || b[p] != ':') {
      error = "bad time stamp";
      return null;
    }
    for (int d = digits; d < 3; d++) {
      frac *= 10;
    }
    p++;
    int ss = p;
    long serial = 0;
    while (p < end && b[p] >= '0' && b[p] <= '9') {
      serial = serial * 10 + (b[p] - '0');
      p++;
    }
    if (p == ss || p - ss > 19 || p >= end || b[p] != ')') {
      error = "bad serial";
      return null;
    }
    p++;
    if (p < end && b[p] == ':') {
      p++;
    }
    int bodyStart = p;
    int gs = -1;
    for (int i = p; i < end; i++) {
      if (b[i] == GS) {
        gs = i;
        break;
      }
    }
    int bodyEnd = gs < 0 ? end : gs;
    int type = RecordTypes.lookup(b, ts, te);
    error = null;
    return new AuditRecord(
        b, node, ts, te, type, sec * 1000 + frac, serial, bodyStart, bodyEnd, gs < 0 ? -1 : gs + 1);
  }

  private String node(byte[] b, int s, int e) {
    byte[] last = lastNodeBytes;
    if (last != null && last.length == e - s && Arrays.equals(b, s, e, last, 0, last.length)) {
      return lastNode;
    }
    if (e == s) {
      return null;
    }
    lastNodeBytes = Arrays.copyOfRange(b, s, e);
    lastNode = Text.string(b, s, e);
    return lastNode;
  }
}
