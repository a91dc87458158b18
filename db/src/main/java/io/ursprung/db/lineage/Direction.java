package io.ursprung.db.lineage;

import java.util.Locale;

/** Which way a lineage walk goes. */
public enum Direction {
  /** Towards causes: what an output was made from. */
  UPSTREAM,
  /** Towards effects: what was made from an input. */
  DOWNSTREAM;

  /** {@code upstream} or {@code downstream}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
