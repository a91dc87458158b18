-- Lineage traversal in the database: one call walks the provenance graph breadth first from a set
-- of start nodes, so that a lineage request is one round trip however deep it goes.
--
-- Nodes are file versions (k = 'f': host = the file's namespace, fs, id = inode, t = version time,
-- '-infinity' for the content a file had before capture began) and processes (k = 'p': host, fs =
-- '', id = pid, t = start time). b is a time bound that makes the walk time-respecting:
--   upstream:   a process's inputs are what it read at or before b (the time it wrote the output
--               we came from; pipe writers inherit the reader's bound);
--   downstream: a process's outputs are what it wrote at or after b (the time it read the input
--               we came from).
-- File versions carry b = t. The visited set holds (node, b): BFS order means each node is first
-- reached at its smallest depth, no node is expanded twice with the same bound, and because
-- bounds only shrink (upstream) or grow (downstream) along a path, the walk always terminates.
--
-- Edges followed: wasGeneratedBy (version <-> writer), used (read and exec, so executables are
-- traversed), wasInformedBy of kinds other than fork (pipes, socketpairs, local sockets), and
-- wasDerivedFrom between consecutive versions of one inode when the newer one was made by a rename.
-- Fork parentage is followed only when via_fork is set (one-hop neighbourhoods): a shell's whole
-- history is not the lineage of every command it started.
--
-- Visibility: processes are reached only if the viewer sees them (uid or granted gid, or see_all),
-- so lineage never leads through another user's processes.

CREATE TYPE lineage_node AS (k text, host text, fs text, id bigint, t timestamptz, b timestamptz);

CREATE TYPE lineage_hop AS (
    k text, host text, fs text, id bigint, t timestamptz, b timestamptz,
    from_k text, from_host text, from_fs text, from_id bigint, from_t timestamptz,
    edge text, kind text);

-- Returns node rows (o_row = 'n', with their depth) and edge rows (o_row = 'e': from the node
-- nearer the start to the node found from it). At most max_nodes (node, bound) pairs; when the cap
-- cuts a level, edges to the nodes left out are not returned.
CREATE FUNCTION lineage_walk(
    start lineage_node[],
    upstream boolean,
    via_fork boolean,
    max_depth integer,
    max_nodes integer,
    see_all boolean,
    see_uids integer[],
    see_gids integer[])
RETURNS TABLE (
    o_row text, o_depth integer,
    o_k text, o_host text, o_fs text, o_id bigint, o_t timestamptz,
    o_from_k text, o_from_host text, o_from_fs text, o_from_id bigint, o_from_t timestamptz,
    o_edge text, o_kind text)
LANGUAGE plpgsql STABLE
AS $$
#variable_conflict use_column
DECLARE
    frontier lineage_node[];
    visited  lineage_node[];
    fresh    lineage_node[];
    hops     lineage_hop[];
    room     integer;
    d        integer := 0;
BEGIN
    visited := ARRAY(SELECT DISTINCT ROW(s.k, s.host, s.fs, s.id, s.t, s.b)::lineage_node
                     FROM unnest(start) s LIMIT max_nodes);
    frontier := visited;
    RETURN QUERY SELECT 'n', 0, s.k, s.host, s.fs, s.id, s.t,
                        NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::timestamptz,
                        NULL::text, NULL::text
                 FROM unnest(visited) s;

    WHILE d < max_depth AND cardinality(frontier) > 0 LOOP
        d := d + 1;
        IF upstream THEN
            hops := ARRAY(
                -- a file version <- the process that wrote it
                SELECT ROW('p', p.host, '', p.pid::bigint, p.start_time, v.version_time,
                           f.k, f.host, f.fs, f.id, f.t, 'wasGeneratedBy', v.cause)::lineage_hop
                FROM unnest(frontier) f
                JOIN file_versions v
                  ON f.k = 'f' AND v.host = f.host AND v.fs = f.fs AND v.inode = f.id
                 AND v.version_time = f.t
                JOIN processes p
                  ON p.host = v.proc_host AND p.pid = v.pid AND p.start_time = v.start_time
                WHERE see_all OR p.uid = ANY (see_uids) OR p.gid = ANY (see_gids)
                UNION ALL
                -- a version made by a rename <- the version before it (same inode, same content)
                SELECT ROW('f', f.host, f.fs, f.id, prev.t, prev.t,
                           f.k, f.host, f.fs, f.id, f.t, 'wasDerivedFrom', 'rename')::lineage_hop
                FROM unnest(frontier) f
                CROSS JOIN LATERAL (
                    SELECT coalesce(max(w.version_time), '-infinity'::timestamptz) AS t
                    FROM file_versions w
                    WHERE w.host = f.host AND w.fs = f.fs AND w.inode = f.id
                      AND w.version_time < f.t) prev
                WHERE f.k = 'f'
                  AND EXISTS (SELECT 1 FROM file_versions v
                              WHERE v.host = f.host AND v.fs = f.fs AND v.inode = f.id
                                AND v.version_time = f.t AND v.cause = 'rename')
                UNION ALL
                -- a process <- the file versions it read or executed before its bound
                SELECT ROW('f', u.file_host, u.fs, u.inode, lv.t, lv.t,
                           f.k, f.host, f.fs, f.id, f.t, 'used', u.kind)::lineage_hop
                FROM unnest(frontier) f
                JOIN used u
                  ON f.k = 'p' AND u.host = f.host AND u.pid = f.id AND u.start_time = f.t
                 AND u.time <= f.b
                CROSS JOIN LATERAL (
                    SELECT coalesce(max(w.version_time), '-infinity'::timestamptz) AS t
                    FROM file_versions w
                    WHERE w.host = u.file_host AND w.fs = u.fs AND w.inode = u.inode
                      AND w.version_time <= u.time) lv
                UNION ALL
                -- a process <- the processes that wrote into its pipes and sockets
                SELECT ROW('p', q.host, '', q.pid::bigint, q.start_time,
                           CASE WHEN w.kind = 'fork' THEN w.time ELSE f.b END,
                           f.k, f.host, f.fs, f.id, f.t, 'wasInformedBy', w.kind)::lineage_hop
                FROM unnest(frontier) f
                JOIN was_informed_by w
                  ON f.k = 'p' AND w.host = f.host AND w.pid = f.id AND w.start_time = f.t
                 AND w.time <= f.b AND (via_fork OR w.kind <> 'fork')
                JOIN processes q
                  ON q.host = w.host AND q.pid = w.informant_pid
                 AND q.start_time = w.informant_start
                WHERE see_all OR q.uid = ANY (see_uids) OR q.gid = ANY (see_gids));
        ELSE
            hops := ARRAY(
                -- a file version -> the processes that read it (while it was the current version)
                SELECT ROW('p', p.host, '', p.pid::bigint, p.start_time, r.first_read,
                           f.k, f.host, f.fs, f.id, f.t, 'used', r.kind)::lineage_hop
                FROM unnest(frontier) f
                CROSS JOIN LATERAL (
                    SELECT coalesce(min(w.version_time), 'infinity'::timestamptz) AS t
                    FROM file_versions w
                    WHERE w.host = f.host AND w.fs = f.fs AND w.inode = f.id
                      AND w.version_time > f.t) nxt
                CROSS JOIN LATERAL (
                    SELECT u.host, u.pid, u.start_time, min(u.kind) AS kind,
                           min(u.time) AS first_read
                    FROM used u
                    WHERE f.k = 'f' AND u.file_host = f.host AND u.fs = f.fs
                      AND u.inode = f.id AND u.time >= f.t AND u.time < nxt.t
                      AND u.pid IS NOT NULL AND u.start_time IS NOT NULL
                    GROUP BY u.host, u.pid, u.start_time) r
                JOIN processes p
                  ON p.host = r.host AND p.pid = r.pid AND p.start_time = r.start_time
                WHERE see_all OR p.uid = ANY (see_uids) OR p.gid = ANY (see_gids)
                UNION ALL
                -- a file version -> the next version of its inode when a rename made it
                SELECT ROW('f', f.host, f.fs, f.id, nv.t, nv.t,
                           f.k, f.host, f.fs, f.id, f.t, 'wasDerivedFrom', 'rename')::lineage_hop
                FROM unnest(frontier) f
                CROSS JOIN LATERAL (
                    SELECT w.version_time AS t, w.cause
                    FROM file_versions w
                    WHERE f.k = 'f' AND w.host = f.host AND w.fs = f.fs AND w.inode = f.id
                      AND w.version_time > f.t
                    ORDER BY w.version_time
                    LIMIT 1) nv
                WHERE nv.cause = 'rename'
                UNION ALL
                -- a process -> the versions it wrote after its bound
                SELECT ROW('f', v.host, v.fs, v.inode, v.version_time, v.version_time,
                           f.k, f.host, f.fs, f.id, f.t, 'wasGeneratedBy', v.cause)::lineage_hop
                FROM unnest(frontier) f
                JOIN file_versions v
                  ON f.k = 'p' AND v.proc_host = f.host AND v.pid = f.id
                 AND v.start_time = f.t AND v.version_time >= f.b
                UNION ALL
                -- a process -> the processes reading its pipes and sockets
                SELECT ROW('p', q.host, '', q.pid::bigint, q.start_time, greatest(f.b, w.time),
                           f.k, f.host, f.fs, f.id, f.t, 'wasInformedBy', w.kind)::lineage_hop
                FROM unnest(frontier) f
                JOIN was_informed_by w
                  ON f.k = 'p' AND w.host = f.host AND w.informant_pid = f.id
                 AND w.informant_start = f.t AND (via_fork OR w.kind <> 'fork')
                JOIN processes q
                  ON q.host = w.host AND q.pid = w.pid AND q.start_time = w.start_time
                WHERE see_all OR q.uid = ANY (see_uids) OR q.gid = ANY (see_gids));
        END IF;

        room := max_nodes - cardinality(visited);
        fresh := ARRAY(
            SELECT ROW(x.k, x.host, x.fs, x.id, x.t, x.b)::lineage_node
            FROM (SELECT h.k, h.host, h.fs, h.id, h.t, h.b FROM unnest(hops) h
                  EXCEPT
                  SELECT v.k, v.host, v.fs, v.id, v.t, v.b FROM unnest(visited) v) x
            -- a stable order, so that a truncated answer is the same on every call
            ORDER BY x.k, x.host, x.id, x.t, x.fs, x.b
            LIMIT room + 1);

        IF cardinality(fresh) > room THEN
            -- The cap cuts this level: keep room nodes and only the edges that reach kept nodes.
            fresh := fresh[1:room];
            visited := visited || fresh;
            RETURN QUERY SELECT 'n', d, s.k, s.host, s.fs, s.id, s.t,
                                NULL::text, NULL::text, NULL::text, NULL::bigint,
                                NULL::timestamptz, NULL::text, 'truncated'
                         FROM unnest(fresh) s;
            RETURN QUERY SELECT 'e', d, h.k, h.host, h.fs, h.id, h.t,
                                h.from_k, h.from_host, h.from_fs, h.from_id, h.from_t,
                                h.edge, h.kind
                         FROM unnest(hops) h
                         WHERE (h.k, h.host, h.fs, h.id, h.t, h.b) IN
                               (SELECT v.k, v.host, v.fs, v.id, v.t, v.b FROM unnest(visited) v);
            RETURN;
        END IF;

        visited := visited || fresh;
        frontier := fresh;
        RETURN QUERY SELECT 'n', d, s.k, s.host, s.fs, s.id, s.t,
                            NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::timestamptz,
                            NULL::text, NULL::text
                     FROM unnest(fresh) s;
        RETURN QUERY SELECT 'e', d, h.k, h.host, h.fs, h.id, h.t,
                            h.from_k, h.from_host, h.from_fs, h.from_id, h.from_t, h.edge, h.kind
                     FROM unnest(hops) h;
    END LOOP;
END;
$$;
