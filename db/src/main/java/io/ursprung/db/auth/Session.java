package io.ursprung.db.auth;

import java.time.Instant;

/**
 * A new bearer token. The clear token exists only here and in the response to the client; the store
 * keeps its SHA-256 digest.
 *
 * @param token the bearer token
 * @param expiresAt when it stops working
 * @param user who it belongs to
 */
public record Session(String token, Instant expiresAt, UserInfo user) {}
