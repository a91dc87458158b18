/**
 * Lineage: time-respecting upstream and downstream walks over the provenance graph, and one-hop
 * neighbourhoods, answered by the {@code lineage_walk} database function in one round trip.
 */
package io.ursprung.db.lineage;
