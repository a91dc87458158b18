package io.ursprung.db.lineage;

/**
 * An edge, in W3C PROV direction whichever way the walk went: {@code used} (process to file
 * version; kind read or exec), {@code wasGeneratedBy} (file version to its writer; kind write,
 * create, truncate or rename), {@code wasInformedBy} (informed process to informant; kind pipe,
 * socketpair, socket or fork), {@code wasDerivedFrom} (newer version to older; kind rename).
 *
 * @param from node id
 * @param to node id
 * @param type PROV relation
 * @param kind what made it
 */
public record Edge(String from, String to, String type, String kind) {}
