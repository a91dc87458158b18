/**
 * The REST API under {@code /api/v1}: {@link io.ursprung.backend.Backend} assembles and starts the
 * Javalin server, {@link io.ursprung.backend.BackendCommand} is {@code ursprung backend}.
 */
package io.ursprung.backend;
