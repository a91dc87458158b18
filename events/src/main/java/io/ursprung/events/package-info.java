/**
 * The versioned wire format that flows through Kafka between Ursprung's producers (auditd plugin,
 * provd, job uploader) and its consumers.
 *
 * <p>Every message is one {@link io.ursprung.events.ProvEvent}: a common envelope (schema version,
 * deterministic id, producer, host, UTC time at source precision) and a typed {@link
 * io.ursprung.events.EventData} body. {@link io.ursprung.events.EventCodec} is the only way in and
 * out of JSON; the JSON Schema beside this package ({@code event-v1.schema.json}) is the contract
 * for other languages. Field-by-field documentation: {@code docs/events.md}.
 */
package io.ursprung.events;
