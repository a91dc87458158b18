package io.ursprung.plugin.audit;

/**
 * Counters of the audit processing stage.
 *
 * @param records record lines accepted
 * @param auditEvents audit events assembled (records grouped by node and serial)
 * @param provEvents provenance events emitted
 * @param malformed lines that could not be parsed (reported with their content)
 * @param timedOut audit events completed by the time-out instead of EOE
 */
public record AuditStats(
    long records, long auditEvents, long provEvents, long malformed, long timedOut) {}
