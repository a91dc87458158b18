/**
 * Read-side queries behind the REST API: search, details of processes and files, runs and their
 * comparison, and reproduce plans. Every query is parameterised and filtered by a {@link
 * io.ursprung.db.auth.Viewer}.
 */
package io.ursprung.db.query;
