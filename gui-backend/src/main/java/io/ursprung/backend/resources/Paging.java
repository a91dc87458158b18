package io.ursprung.backend.resources;

import io.ursprung.backend.http.Params;

/** offset and limit, read the same way by every paged resource. */
record Paging(int offset, int limit) {
  static final int MAX_LIMIT = 1000;
  static final int MAX_OFFSET = 1_000_000;

  static Paging read(Params p, int defaultLimit) {
    return new Paging(
        p.integer("offset", 0, 0, MAX_OFFSET), p.integer("limit", defaultLimit, 1, MAX_LIMIT));
  }
}
