/**
 * W3C PROV-JSON for the provenance store: reading and validating documents ({@link
 * io.ursprung.db.prov.ProvDocuments}, errors located by JSON pointer in {@link
 * io.ursprung.db.prov.InvalidProvException}), exporting lineage answers ({@link
 * io.ursprung.db.prov.ProvExport}, shared by the REST API and {@code ursprung prov export}), and
 * importing documents into the graph and a verbatim record store ({@link
 * io.ursprung.db.prov.ProvStore}). docs/prov.md describes the mapping.
 */
package io.ursprung.db.prov;
