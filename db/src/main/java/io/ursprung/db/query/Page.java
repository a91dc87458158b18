package io.ursprung.db.query;

import java.util.List;

/**
 * One page of results.
 *
 * @param items the results
 * @param offset how many were skipped
 * @param limit the page size asked for
 * @param more whether another page follows
 */
public record Page<T>(List<T> items, int offset, int limit, boolean more) {
  public Page {
    items = List.copyOf(items);
  }
}
