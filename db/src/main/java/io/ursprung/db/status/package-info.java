/**
 * Ingest status: what consumers and producers report about themselves ({@code consumer_status},
 * {@code host_status}), for the dashboard and {@code GET /api/v1/metrics}.
 */
package io.ursprung.db.status;
