package io.ursprung.db.lineage;

/**
 * A file: an inode in a namespace.
 *
 * @param host the namespace (host or cluster)
 * @param fs the file system
 * @param inode the inode
 */
public record FileRef(String host, String fs, long inode) {}
