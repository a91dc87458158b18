/**
 * The job record uploader: job-side tools ({@code ursprung job}) drop one JSON file per lifecycle
 * stage into a spool directory as the job's user; {@link io.ursprung.provd.spool.JobSpoolUploader}
 * checks that each file is owned by the user it names, publishes it as a {@code job} event, and
 * deletes it only once Kafka acknowledged it. The record format is {@link
 * io.ursprung.provd.spool.JobRecord}, documented in {@code docs/provd.md}.
 */
package io.ursprung.provd.spool;
