-- Content versions committed by TRACK rule actions into git repositories. A row links the file
-- version of the graph (file_versions: host, event_id of the write-close or rename that made it)
-- to the git commit holding its content. One history per file identity: repo_path is derived
-- from (host, fs, inode), so a renamed file keeps its history.
-- io.ursprung.db.rules.TrackedContent serves content and diffs from these rows.

CREATE TABLE tracked_versions (
    host        text        NOT NULL,   -- file_versions.host (Scale: the cluster)
    event_id    text        NOT NULL,   -- file_versions.event_id
    fs          text        NOT NULL,
    inode       bigint      NOT NULL,
    path        text        NOT NULL,   -- the file's path when it was tracked
    version_time timestamptz NOT NULL,
    repository  text        NOT NULL,   -- absolute path of the git repository
    repo_path   text        NOT NULL,   -- the file's path inside the repository
    commit_id   text        NOT NULL,   -- 40 hex digits
    size        bigint      NOT NULL,
    rule_id     text        NOT NULL,
    tracked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (host, event_id, repository)
);
CREATE INDEX tracked_versions_file ON tracked_versions (host, fs, inode, version_time);
CREATE INDEX tracked_versions_path ON tracked_versions (path, version_time);
