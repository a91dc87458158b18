package io.ursprung.db.lineage;

import java.time.Instant;

/**
 * A file version in a lineage answer.
 *
 * @param id node id
 * @param type always {@code file}
 * @param host namespace of the inode (host or cluster)
 * @param path the file's name at that version
 * @param version 1 for the first version seen, 0 for the content before capture began
 * @param versionTime when the version was made, null for version 0
 * @param fs file system
 * @param inode inode
 * @param size size in bytes when known
 * @param depth edges from the nearest start node
 */
public record FileNode(
    String id,
    String type,
    String host,
    String path,
    int version,
    Instant versionTime,
    String fs,
    long inode,
    Long size,
    int depth)
    implements Node {}
