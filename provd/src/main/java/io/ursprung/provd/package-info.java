/**
 * provd, the worker daemon: {@link io.ursprung.provd.ProvdCommand} ({@code ursprung provd}) reads
 * {@link io.ursprung.provd.ProvdConfig} and runs {@link io.ursprung.provd.Provd}, which wires the
 * authenticated control port ({@code control}), stdout capture ({@code capture}), fanotify file
 * events ({@code fanotify}) and the job record uploader ({@code spool}) to Kafka, logs metrics, and
 * on SIGTERM detaches every tracee before it exits.
 */
package io.ursprung.provd;
