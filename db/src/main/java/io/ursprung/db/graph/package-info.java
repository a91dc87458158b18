/**
 * The provenance graph in PostgreSQL: row types ({@link io.ursprung.db.graph.Rows}), a batch that
 * merges the rows of many events ({@link io.ursprung.db.graph.GraphBatch}), and the store that
 * writes a batch in one transaction with COPY into staging tables followed by idempotent INSERT ...
 * SELECT ({@link io.ursprung.db.graph.GraphStore}). Callers never see SQL; docs/store.md describes
 * the schema and how each event maps to rows.
 */
package io.ursprung.db.graph;
