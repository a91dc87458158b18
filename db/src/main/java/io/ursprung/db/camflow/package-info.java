/**
 * Storage of the CamFlow source: the per-machine state that lets partial PROV-JSON packets be
 * merged (vertices seen, relations waiting for their vertices, process identities, packets already
 * stored) and the dead-letter table, written together with the graph rows of each packet in one
 * transaction ({@link io.ursprung.db.camflow.CamflowStore}). The mapping of CamFlow elements to
 * graph rows is the caller's ({@link io.ursprung.db.camflow.CamflowStore.Mapper}); docs/camflow.md
 * describes both.
 */
package io.ursprung.db.camflow;
