package io.ursprung.db.query;

import java.time.Instant;

/**
 * A process as search results and lists show it.
 *
 * @param id node id
 * @param host where it ran
 * @param pid pid
 * @param cmdline argv joined by spaces
 * @param cwd working directory
 * @param user user name, or the uid as text
 * @param uid uid
 * @param start start time
 * @param end end time, null when unknown
 * @param exitCode exit status, null when unknown
 * @param exe executable
 */
public record ProcessSummary(
    String id,
    String host,
    int pid,
    String cmdline,
    String cwd,
    String user,
    Integer uid,
    Instant start,
    Instant end,
    Integer exitCode,
    String exe) {}
