package io.ursprung.db.query;

import java.time.Instant;

/**
 * Process search criteria; null fields do not constrain.
 *
 * @param text substring of the command line (case-insensitive)
 * @param user user name or numeric uid
 * @param host host
 * @param from started at or after
 * @param to started before
 */
public record ProcessSearch(String text, String user, String host, Instant from, Instant to) {}
