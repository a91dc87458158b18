/**
 * Audit record parsing and event assembly: byte-level record parsing (encoded values, ENRICHED
 * tails), grouping by (node, serial) with EOE, last-record and time-out completion, and the {@link
 * io.ursprung.plugin.audit.AuditStreamProcessor} that wires them to the OS model.
 */
package io.ursprung.plugin.audit;
