/**
 * Master-side consumers: {@code ursprung consumer --source auditd|scale} reads one Kafka topic in a
 * consumer group, maps each message to graph rows ({@link io.ursprung.consumer.AuditdMapper},
 * {@link io.ursprung.consumer.ScaleMapper}), and writes each batch in one database transaction
 * before committing its offsets ({@link io.ursprung.consumer.ConsumerLoop}). Every write is
 * idempotent, so a crash at any moment re-delivers and never loses or duplicates.
 */
package io.ursprung.consumer;
