-- The provenance graph (docs/store.md explains every table and how each event maps to rows).
--
-- Rules that hold for every table below:
--  * host leads every key, so each table can be distributed by host with Citus without a rewrite.
--    For processes and edges it is the host the process ran on; for files and file versions it is
--    the namespace the inode lives in (the host for local file systems, the cluster for Spectrum
--    Scale), so a file table's host is not always the process's host.
--  * rows are keyed by the producer's deterministic event id where an event creates them, so
--    writing the same event twice is a no-op (INSERT ... ON CONFLICT DO NOTHING); rows that several
--    events contribute to (processes, files, hosts) are merged with order-independent rules.
--  * all times are timestamptz (UTC), at the source's precision.
--  * version numbers are not stored: they are the rank of a version by time within its inode
--    (view file_versions_numbered). A stored counter would depend on arrival order, and a late
--    Spectrum Scale event would have to renumber every later version.

CREATE TABLE hosts (
    host       text        PRIMARY KEY,
    kind       text        NOT NULL,              -- host or cluster
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL
);

-- A process incarnation: host + pid + start time (pids are reused). The row merges its start,
-- exec, group and exit events; facts_time says which event the program facts (exe, argv, cwd,
-- credentials) come from, so that the latest exec wins whatever order events are applied in.
CREATE TABLE processes (
    host         text        NOT NULL,
    pid          integer     NOT NULL,
    start_time   timestamptz NOT NULL,
    start_how    text,
    parent_pid   integer,
    parent_start timestamptz,
    ppid         integer,
    pgid         integer,
    sid          integer,
    group_time   timestamptz,
    uid          integer,
    gid          integer,
    euid         integer,
    egid         integer,
    auid         bigint,
    user_name    text,
    group_name   text,
    login_user   text,
    cwd          text,
    exe          text,
    argv         text[],
    facts_time   timestamptz,
    end_time     timestamptz,
    exit_code    integer,
    signal       integer,
    exit_how     text,
    job_id       text,
    PRIMARY KEY (host, pid, start_time)
);
CREATE INDEX processes_parent ON processes (host, parent_pid, parent_start);
CREATE INDEX processes_pgid ON processes (host, pgid);
CREATE INDEX processes_uid ON processes (host, uid, start_time);
CREATE INDEX processes_job ON processes (job_id) WHERE job_id IS NOT NULL;

-- Every exec of a process, in order: argv and program history of one incarnation.
CREATE TABLE process_execs (
    host       text        NOT NULL,
    event_id   text        NOT NULL,
    pid        integer     NOT NULL,
    start_time timestamptz NOT NULL,
    exec_time  timestamptz NOT NULL,
    exe        text,
    exe_fs     text,
    exe_inode  bigint,
    argv       text[],
    cwd        text,
    uid        integer,
    user_name  text,
    PRIMARY KEY (host, event_id)
);
CREATE INDEX process_execs_process ON process_execs (host, pid, start_time, exec_time);

-- A file-system object: an inode on a file system (device major:minor for local file systems, the
-- file system name for Spectrum Scale). Inodes are 64-bit. When a producer knows only a path, fs is
-- 'path' and inode a stable 64-bit hash of the path (docs/store.md).
CREATE TABLE files (
    host        text        NOT NULL,
    fs          text        NOT NULL,
    inode       bigint      NOT NULL,
    object_type text,
    first_seen  timestamptz NOT NULL,
    PRIMARY KEY (host, fs, inode)
);

-- Path history: every event that gave, used or took away a name of an inode.
CREATE TABLE file_names (
    host       text        NOT NULL,
    event_id   text        NOT NULL,
    path       text        NOT NULL,
    op         text        NOT NULL,   -- open, create, rename-from, rename-to, link, symlink, unlink, mkdir, rmdir
    fs         text        NOT NULL,
    inode      bigint      NOT NULL,
    time       timestamptz NOT NULL,
    proc_host  text,
    pid        integer,
    start_time timestamptz,
    PRIMARY KEY (host, event_id, path, op)
);
CREATE INDEX file_names_path ON file_names (path, host, time);
CREATE INDEX file_names_inode ON file_names (host, fs, inode, time);

-- A version of a file's content: made by a write-close, a create, a truncate, or a rename onto the
-- name. The writer is the process (proc_host, pid, start_time); start_time stays NULL until a
-- Spectrum Scale event is attached to its audited process (source = 'scale').
CREATE TABLE file_versions (
    host         text        NOT NULL,
    event_id     text        NOT NULL,
    fs           text        NOT NULL,
    inode        bigint      NOT NULL,
    version_time timestamptz NOT NULL,
    cause        text        NOT NULL,   -- write, create, truncate, rename
    path         text,
    size         bigint,
    proc_host    text,
    pid          integer,
    start_time   timestamptz,
    source       text        NOT NULL,   -- auditd or scale
    PRIMARY KEY (host, event_id)
);
CREATE INDEX file_versions_inode ON file_versions (host, fs, inode, version_time);
CREATE INDEX file_versions_writer ON file_versions (proc_host, pid, start_time, version_time);
CREATE INDEX file_versions_unattached ON file_versions (proc_host, pid, version_time)
    WHERE source = 'scale';

CREATE VIEW file_versions_numbered AS
SELECT v.*,
       row_number() OVER (PARTITION BY v.host, v.fs, v.inode
                          ORDER BY v.version_time, v.event_id) AS version
FROM file_versions v;

-- wasGeneratedBy is the writer of a version; one source of truth, so it is a view.
CREATE VIEW was_generated_by AS
SELECT v.host AS file_host, v.fs, v.inode, v.event_id AS version_event_id, v.path,
       v.proc_host AS host, v.pid, v.start_time, v.version_time AS time, v.cause AS kind
FROM file_versions v
WHERE v.pid IS NOT NULL;

-- used: a process read (kind read) or executed (kind exec) a file at a time. The version read is
-- the file's latest version at or before that time (resolved by lineage queries), which keeps
-- writes independent of arrival order.
CREATE TABLE used (
    host       text        NOT NULL,
    event_id   text        NOT NULL,
    kind       text        NOT NULL,   -- read, exec
    pid        integer,
    start_time timestamptz,
    time       timestamptz NOT NULL,
    file_host  text        NOT NULL,
    fs         text        NOT NULL,
    inode      bigint      NOT NULL,
    path       text,
    source     text        NOT NULL,
    PRIMARY KEY (host, event_id, kind)
);
CREATE INDEX used_process ON used (host, pid, start_time, time);
CREATE INDEX used_file ON used (file_host, fs, inode, time);
CREATE INDEX used_unattached ON used (host, pid, time) WHERE source = 'scale';

-- wasInformedBy: process (pid, start_time) was informed by informant: fork (child by parent),
-- pipe / socketpair (reader by writer), socket (both directions of a local connection).
CREATE TABLE was_informed_by (
    host             text        NOT NULL,
    event_id         text        NOT NULL,
    kind             text        NOT NULL,
    pid              integer     NOT NULL,
    start_time       timestamptz NOT NULL,
    informant_pid    integer     NOT NULL,
    informant_start  timestamptz NOT NULL,
    time             timestamptz NOT NULL,
    channel          text,
    PRIMARY KEY (host, event_id, kind, pid, start_time, informant_pid, informant_start)
);
CREATE INDEX was_informed_by_informed ON was_informed_by (host, pid, start_time, time);
CREATE INDEX was_informed_by_informant ON was_informed_by (host, informant_pid, informant_start, time);

-- wasDerivedFrom between files: rename (a new name of the same inode), link (hard link), symlink
-- (a symlink inode pointing at a path; src_fs/src_inode unknown then, src_path set).
CREATE TABLE was_derived_from (
    host       text        NOT NULL,
    event_id   text        NOT NULL,
    kind       text        NOT NULL,
    fs         text        NOT NULL,
    inode      bigint      NOT NULL,
    path       text,
    src_fs     text,
    src_inode  bigint,
    src_path   text,
    time       timestamptz NOT NULL,
    proc_host  text,
    pid        integer,
    start_time timestamptz,
    PRIMARY KEY (host, event_id, kind)
);
CREATE INDEX was_derived_from_derived ON was_derived_from (host, fs, inode, time);
CREATE INDEX was_derived_from_source ON was_derived_from (host, src_fs, src_inode, time);
CREATE INDEX was_derived_from_src_path ON was_derived_from (src_path);

-- Socket activity, kept so that local connections can be joined to the bound socket's process.
CREATE TABLE sockets (
    host       text        NOT NULL,
    event_id   text        NOT NULL,
    pid        integer     NOT NULL,
    start_time timestamptz NOT NULL,
    time       timestamptz NOT NULL,
    op         text        NOT NULL,
    family     text,
    address    text,
    port       integer,
    path       text,
    fd         integer,
    result     bigint,
    PRIMARY KEY (host, event_id)
);
CREATE INDEX sockets_endpoint ON sockets (host, family, port, time);
CREATE INDEX sockets_path ON sockets (host, path) WHERE path IS NOT NULL;
CREATE INDEX sockets_process ON sockets (host, pid, start_time);

-- Job lifecycle sub-records, insert-only.
CREATE TABLE job_events (
    host       text        NOT NULL,
    event_id   text        NOT NULL,
    job_id     text        NOT NULL,
    stage      text        NOT NULL,
    user_name  text,
    attributes jsonb       NOT NULL,
    time       timestamptz NOT NULL,
    PRIMARY KEY (host, event_id)
);
CREATE INDEX job_events_job ON job_events (job_id, time);

-- Spectrum Scale IN_MOVED_FROM / IN_MOVED_TO halves and what became of them. Kept in the
-- database, not in memory, so that a consumer killed between the two halves, or two consumer
-- instances each seeing one half, still pair them; and kept after pairing (state paired/expired),
-- so that a re-delivered half finds its old partner again and writes the same rows.
CREATE TABLE scale_moves (
    host       text        NOT NULL,   -- the cluster
    cookie     bigint      NOT NULL,
    half       text        NOT NULL,   -- from or to
    event_id   text        NOT NULL,
    node       text        NOT NULL,
    fs         text        NOT NULL,
    inode      bigint      NOT NULL,
    path       text,
    pid        integer,
    time       timestamptz NOT NULL,
    state      text        NOT NULL,   -- pending, paired, expired
    partner    text,                   -- event_id of the other half once paired
    PRIMARY KEY (host, cookie, half, event_id)
);
CREATE INDEX scale_moves_pending ON scale_moves (host, time) WHERE state = 'pending';

-- State of rule actions (DBTRANSFER, LOGLOAD: how far they got). A reference table under Citus.
CREATE TABLE rule_state (
    rule_id     text        NOT NULL,
    action_name text        NOT NULL,
    target      text        NOT NULL,
    state       text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rule_id, target)
);
