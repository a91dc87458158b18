/**
 * The rule engine inside the consumer: rules (docs/rules.md) are tested against every event of a
 * batch; each matching action becomes a row of {@code rule_work} written in the batch's own
 * transaction, so work exists exactly when its events are stored. Action threads, fed from that
 * table through bounded queues, do the work and record it done together with their output and their
 * state, so a slow or failing action never holds up ingest and a restart resumes where the
 * committed state says.
 */
package io.ursprung.consumer.rules;
