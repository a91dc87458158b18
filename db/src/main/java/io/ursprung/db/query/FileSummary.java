package io.ursprung.db.query;

import java.time.Instant;

/**
 * A file as search results show it.
 *
 * @param id node id of its latest version
 * @param host namespace (host or cluster)
 * @param path the name searched for
 * @param fs file system
 * @param inode inode
 * @param lastSeen last time this name was used
 * @param versions how many versions are known
 */
public record FileSummary(
    String id, String host, String path, String fs, long inode, Instant lastSeen, int versions) {}
