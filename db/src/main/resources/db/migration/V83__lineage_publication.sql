-- The publication the backend's lineage cache follows (docs/api.md, "The lineage cache"): the key
-- columns of the four tables a lineage walk hops over, the credentials viewers are checked by, and
-- what a lineage answer shows of a process and of a version (so that nodes need no look-up).
-- Nothing is decoded or kept for it unless a backend holds a replication slot on it, and that needs
-- wal_level = logical; without that the backend answers from SQL alone.
--
-- Column lists need PostgreSQL 15. On an older server, or for a migration user without the right
-- to create publications, the migration leaves it out and says why; the cache then stays off.
DO $$
BEGIN
  IF current_setting('server_version_num')::integer < 150000 THEN
    RAISE NOTICE 'lineage cache publication not created: it needs PostgreSQL 15 or newer';
    RETURN;
  END IF;
  EXECUTE 'CREATE PUBLICATION ursprung_lineage FOR TABLE'
    || ' processes (host, pid, start_time, uid, gid, user_name, cwd, exe, argv, end_time,'
    || ' exit_code),'
    || ' file_versions (host, event_id, fs, inode, version_time, cause, path, size, proc_host, pid,'
    || ' start_time),'
    || ' used (host, event_id, kind, pid, start_time, time, file_host, fs, inode),'
    || ' was_informed_by (host, event_id, kind, pid, start_time, informant_pid, informant_start, time)';
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'lineage cache publication not created: %', SQLERRM;
END
$$;
