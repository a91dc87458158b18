package io.ursprung.db.lineage;

import java.time.Instant;

/**
 * A process in a lineage answer.
 *
 * @param id node id
 * @param type always {@code process}
 * @param host where it ran
 * @param pid its pid
 * @param cmdline argv joined by spaces
 * @param cwd working directory at its last exec
 * @param user user name (or the uid as text when the name is unknown)
 * @param uid uid
 * @param start start time
 * @param end end time, null while running or unknown
 * @param exitCode exit status, null when unknown (killed by a signal, still running)
 * @param exe the executable
 * @param depth edges from the nearest start node
 */
public record ProcessNode(
    String id,
    String type,
    String host,
    int pid,
    String cmdline,
    String cwd,
    String user,
    Integer uid,
    Instant start,
    Instant end,
    Integer exitCode,
    String exe,
    int depth)
    implements Node {}
