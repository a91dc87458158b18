/**
 * The operating-system model behind the auditd plugin: processes (identity survives pid reuse),
 * their descriptor tables, pipes and sockets, turning complete audit events into provenance events.
 */
package io.ursprung.plugin.model;
