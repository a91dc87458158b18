/**
 * Read side of what rule actions produce: alerts ({@link io.ursprung.db.rules.AlertQueries}) and
 * tracked file contents with their diffs ({@link io.ursprung.db.rules.TrackedContent}). The REST
 * API is meant to call these; the writing side is the rule engine in the consumer.
 */
package io.ursprung.db.rules;
