/**
 * Users, bearer tokens and visibility for the REST API: password hashing (PBKDF2), token digests,
 * and the {@link io.ursprung.db.auth.Viewer} that every query is filtered by.
 */
package io.ursprung.db.auth;
