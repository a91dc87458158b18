package io.ursprung.db.rules;

import java.time.Instant;

/**
 * A file version whose content a {@code TRACK} rule action committed to git.
 *
 * @param host the file version's host in the graph ({@code file_versions.host}; Scale: cluster)
 * @param eventId the file version's event ({@code file_versions.event_id})
 * @param fs the file's file system (device or Scale file system name)
 * @param inode the file's inode
 * @param path the file's path when it was tracked
 * @param versionTime when the version was made
 * @param repository absolute path of the git repository
 * @param repoPath the file's path inside the repository, the same for every version of the file
 * @param commitId the commit holding the content
 * @param size the content's size in bytes
 */
public record TrackedVersion(
    String host,
    String eventId,
    String fs,
    long inode,
    String path,
    Instant versionTime,
    String repository,
    String repoPath,
    String commitId,
    long size) {}
