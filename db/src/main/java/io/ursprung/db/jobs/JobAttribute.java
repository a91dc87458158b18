package io.ursprung.db.jobs;

/**
 * One value of a job as a name-value attribute with a globally unique name.
 *
 * @param name the attribute URI, e.g. {@code https://ursprung.io/ns/job/finished#exitCode}
 * @param value the value as text (times ISO-8601 UTC)
 * @param eventId the record it comes from (a job may have several records of a stage)
 */
public record JobAttribute(String name, String value, String eventId) {}
