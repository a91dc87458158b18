/**
 * The provenance store: schema migrations (Flyway, forward-only, under {@code db/migration}), the
 * connection pool, and data access. This is the only module that talks JDBC.
 */
package io.ursprung.db;
