/**
 * The event fields that rule conditions and actions can name.
 *
 * <p>{@link io.ursprung.rules.fields.EventFields} is the only view of an event the rule language
 * has: a lookup from field name to value, so the evaluator does not depend on how events are
 * represented. {@link io.ursprung.rules.fields.EventFields#of(io.ursprung.events.ProvEvent)} maps
 * the wire records of {@code io.ursprung.events}; {@link io.ursprung.rules.fields.FieldCatalog}
 * lists the names per event kind, which the parser uses to reject misspelt fields at load time.
 */
package io.ursprung.rules.fields;
