/**
 * Job audit and accounting (GRAM-style lifecycle sub-records): {@link io.ursprung.db.jobs.JobRow}
 * validates a record and maps it to its insert-only table, {@link io.ursprung.db.jobs.JobStore}
 * writes rows as the loader role, {@link io.ursprung.db.jobs.JobQueries} answers the API as the
 * viewer role, showing a job only to its owner and to admins. Schema: migrations V60 and V61;
 * documentation: docs/jobs.md.
 */
package io.ursprung.db.jobs;
