/**
 * {@code ursprung job}: writes job lifecycle records into provd's spool directory ({@link
 * io.ursprung.provd.job.JobRecordWriter}, atomic, as the calling user) and turns resource-manager
 * accounting (Slurm {@code sacct --parsable2}, or CSV) into accounting records ({@link
 * io.ursprung.provd.job.AccountingParser}). provd's uploader checks and publishes them. Format and
 * hooks: docs/jobs.md.
 */
package io.ursprung.provd.job;
