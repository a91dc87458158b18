-- lineage_graph: the walk of lineage_walk (V70) and the attributes of the nodes it finds, in one
-- function, for JdbcLineageService (issue 5, 10,000-node answers).
--
-- Same hops, visited set, order, depth and truncation as lineage_walk, which stays for
-- neighbourhoods and as the reference (LineageGraphEquivalenceIT and EtlBobGraphIT compare the
-- answers of the two). What is cheaper:
--  * node rows are not returned level by level and then grouped by the caller: the visited array
--    already holds them in walk order, so they are emitted once at the end, one row per distinct
--    node (first occurrence, smallest depth, truncated when any of its (node, bound) pairs was
--    cut), with their attributes looked up once;
--  * no second materialisation of ~30,000 walk rows in a CTE (which spilled to disk at the
--    default work_mem), and the function's own work_mem is large enough that its tuplestore,
--    set operations and sorts stay in memory for a 10,000-node answer;
--  * node times are returned as microseconds since the epoch (NULL for +-infinity), the form
--    node ids use, so the client does not parse timestamps for ~20,000 edge rows.
-- Rows: 'n' (node with attributes) and 'e' (edge, from the node nearer the start), in any order
-- between the two kinds; within each kind, the walk's order.

-- Microseconds since the epoch (the time part of a node id), NULL for +-infinity. STABLE like
-- extract() on timestamptz and not STRICT, so that the planner inlines it (otherwise it is called
-- per row).
CREATE FUNCTION lineage_us(t timestamptz) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN isfinite(t) THEN (extract(epoch FROM t) * 1000000)::bigint END $$;

CREATE FUNCTION lineage_graph(
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
    o_k text, o_host text, o_fs text, o_id bigint, o_us bigint,
    o_from_k text, o_from_host text, o_from_fs text, o_from_id bigint, o_from_us bigint,
    o_edge text, o_kind text,
    o_cmdline text, o_cwd text, o_user text, o_uid integer, o_end timestamptz, o_exit integer,
    o_exe text, o_path text, o_version bigint, o_size bigint)
LANGUAGE plpgsql STABLE
SET work_mem = '64MB'
AS $$
#variable_conflict use_column
DECLARE
    frontier lineage_node[];
    visited  lineage_node[];
    fresh    lineage_node[];
    hops     lineage_hop[];
    depths   integer[];   -- depths[i]: the level visited[i] was found on
    -- visited[cut_from:] were found on the level the cap cut (NULL: no cut)
    cut_from integer;
    room     integer;
    d        integer := 0;
BEGIN
    visited := ARRAY(SELECT DISTINCT ROW(s.k, s.host, s.fs, s.id, s.t, s.b)::lineage_node
                     FROM unnest(start) s LIMIT max_nodes);
    frontier := visited;
    depths := array_fill(0, ARRAY[cardinality(visited)]);
    cut_from := NULL;

    WHILE d < max_depth AND cardinality(frontier) > 0 LOOP
        d := d + 1;
        IF upstream THEN
            hops := ARRAY(
                -- One probe of the version's row gives both of a file version's upstream edges
                -- (V22 probed it twice): its writer, and, when a rename made it, the version
                -- before it (same inode, same content).
                SELECT h.hop
                FROM unnest(frontier) f
                JOIN file_versions v
                  ON f.k = 'f' AND v.host = f.host AND v.fs = f.fs AND v.inode = f.id
                 AND v.version_time = f.t
                CROSS JOIN LATERAL (
                    SELECT ROW('p', v.proc_host, '', v.pid::bigint, v.start_time, v.version_time,
                               f.k, f.host, f.fs, f.id, f.t, 'wasGeneratedBy',
                               v.cause)::lineage_hop AS hop
                    WHERE v.pid IS NOT NULL AND v.start_time IS NOT NULL
                      AND (see_all OR EXISTS (
                        SELECT 1 FROM processes p
                        WHERE p.host = v.proc_host AND p.pid = v.pid
                          AND p.start_time = v.start_time
                          AND (p.uid = ANY (see_uids) OR p.gid = ANY (see_gids))))
                    UNION ALL
                    SELECT ROW('f', f.host, f.fs, f.id, prev.t, prev.t,
                               f.k, f.host, f.fs, f.id, f.t, 'wasDerivedFrom',
                               'rename')::lineage_hop
                    FROM (SELECT coalesce(max(w.version_time), '-infinity'::timestamptz) AS t
                          FROM file_versions w
                          WHERE w.host = f.host AND w.fs = f.fs AND w.inode = f.id
                            AND w.version_time < f.t) prev
                    WHERE v.cause = 'rename') h
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
                SELECT ROW('p', w.host, '', w.informant_pid::bigint, w.informant_start,
                           CASE WHEN w.kind = 'fork' THEN w.time ELSE f.b END,
                           f.k, f.host, f.fs, f.id, f.t, 'wasInformedBy', w.kind)::lineage_hop
                FROM unnest(frontier) f
                JOIN was_informed_by w
                  ON f.k = 'p' AND w.host = f.host AND w.pid = f.id AND w.start_time = f.t
                 AND w.time <= f.b AND (via_fork OR w.kind <> 'fork')
                WHERE see_all OR EXISTS (
                    SELECT 1 FROM processes q
                    WHERE q.host = w.host AND q.pid = w.informant_pid
                      AND q.start_time = w.informant_start
                      AND (q.uid = ANY (see_uids) OR q.gid = ANY (see_gids))));
        ELSE
            hops := ARRAY(
                -- a file version -> the processes that read it (while it was the current version)
                SELECT ROW('p', r.host, '', r.pid::bigint, r.start_time, r.first_read,
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
                WHERE see_all OR EXISTS (
                    SELECT 1 FROM processes p
                    WHERE p.host = r.host AND p.pid = r.pid AND p.start_time = r.start_time
                      AND (p.uid = ANY (see_uids) OR p.gid = ANY (see_gids)))
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
                SELECT ROW('p', w.host, '', w.pid::bigint, w.start_time, greatest(f.b, w.time),
                           f.k, f.host, f.fs, f.id, f.t, 'wasInformedBy', w.kind)::lineage_hop
                FROM unnest(frontier) f
                JOIN was_informed_by w
                  ON f.k = 'p' AND w.host = f.host AND w.informant_pid = f.id
                 AND w.informant_start = f.t AND (via_fork OR w.kind <> 'fork')
                WHERE see_all OR EXISTS (
                    SELECT 1 FROM processes q
                    WHERE q.host = w.host AND q.pid = w.pid AND q.start_time = w.start_time
                      AND (q.uid = ANY (see_uids) OR q.gid = ANY (see_gids))));
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
            cut_from := cardinality(visited) + 1;
            visited := visited || fresh;
            depths := depths || array_fill(d, ARRAY[cardinality(fresh)]);
            RETURN QUERY
                SELECT 'e', d, h.k, h.host, h.fs, h.id, lineage_us(h.t),
                       h.from_k, h.from_host, h.from_fs, h.from_id, lineage_us(h.from_t),
                       h.edge, h.kind,
                       NULL::text, NULL::text, NULL::text, NULL::integer, NULL::timestamptz,
                       NULL::integer, NULL::text, NULL::text, NULL::bigint, NULL::bigint
                FROM unnest(hops) h
                WHERE (h.k, h.host, h.fs, h.id, h.t, h.b) IN
                      (SELECT v.k, v.host, v.fs, v.id, v.t, v.b FROM unnest(visited) v);
            EXIT;
        END IF;

        visited := visited || fresh;
        depths := depths || array_fill(d, ARRAY[cardinality(fresh)]);
        frontier := fresh;
        RETURN QUERY
            SELECT 'e', d, h.k, h.host, h.fs, h.id, lineage_us(h.t),
                   h.from_k, h.from_host, h.from_fs, h.from_id, lineage_us(h.from_t),
                   h.edge, h.kind,
                   NULL::text, NULL::text, NULL::text, NULL::integer, NULL::timestamptz,
                   NULL::integer, NULL::text, NULL::text, NULL::bigint, NULL::bigint
            FROM unnest(hops) h;
    END LOOP;

    -- One row per distinct node (a process reached with several bounds was expanded once per
    -- bound but is one node), in the order of its first occurrence, which is the walk's order.
    RETURN QUERY
    WITH n AS MATERIALIZED (
        SELECT s.k, s.host, s.fs, s.id, s.t, min(s.i) AS i, min(s.depth) AS depth,
               max(s.i) >= cut_from AS cut
        FROM unnest(visited, depths) WITH ORDINALITY s(k, host, fs, id, t, b, depth, i)
        GROUP BY s.k, s.host, s.fs, s.id, s.t)
    SELECT a.o_row, a.o_depth, a.o_k, a.o_host, a.o_fs, a.o_id, a.o_us,
           a.o_from_k, a.o_from_host, a.o_from_fs, a.o_from_id, a.o_from_us, a.o_edge, a.o_kind,
           a.o_cmdline, a.o_cwd, a.o_user, a.o_uid, a.o_end, a.o_exit, a.o_exe, a.o_path,
           a.o_version, a.o_size
    FROM (
        SELECT 'n' AS o_row, n.depth AS o_depth, n.k AS o_k, n.host AS o_host, n.fs AS o_fs,
               n.id AS o_id, lineage_us(n.t) AS o_us,
               NULL::text AS o_from_k, NULL::text AS o_from_host, NULL::text AS o_from_fs,
               NULL::bigint AS o_from_id, NULL::bigint AS o_from_us, NULL::text AS o_edge,
               CASE WHEN n.cut THEN 'truncated' END AS o_kind,
               array_to_string(p.argv, ' ') AS o_cmdline, p.cwd AS o_cwd,
               coalesce(p.user_name, p.uid::text) AS o_user, p.uid AS o_uid,
               p.end_time AS o_end, p.exit_code AS o_exit, p.exe AS o_exe,
               NULL::text AS o_path, NULL::bigint AS o_version, NULL::bigint AS o_size, n.i
        FROM n LEFT JOIN processes p
          ON p.host = n.host AND p.pid = n.id AND p.start_time = n.t
        WHERE n.k = 'p'
        UNION ALL
        SELECT 'n', n.depth, n.k, n.host, n.fs, n.id, lineage_us(n.t),
               NULL, NULL, NULL, NULL, NULL, NULL, CASE WHEN n.cut THEN 'truncated' END,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL,
               coalesce(fv.path,
                 (SELECT m.path FROM file_names m WHERE m.host = n.host AND m.fs = n.fs
                    AND m.inode = n.id AND m.time <= n.t ORDER BY m.time DESC LIMIT 1),
                 (SELECT m.path FROM file_names m WHERE m.host = n.host AND m.fs = n.fs
                    AND m.inode = n.id ORDER BY m.time LIMIT 1),
                 (SELECT u.path FROM used u WHERE u.file_host = n.host AND u.fs = n.fs
                    AND u.inode = n.id AND u.path IS NOT NULL LIMIT 1)),
               fv.version, fv.size, n.i
        FROM n CROSS JOIN LATERAL (
            SELECT count(*) AS version,
                   (array_agg(v.path) FILTER (WHERE v.version_time = n.t
                      AND v.path IS NOT NULL))[1] AS path,
                   (array_agg(v.size) FILTER (WHERE v.version_time = n.t
                      AND v.size IS NOT NULL))[1] AS size
            FROM file_versions v
            WHERE v.host = n.host AND v.fs = n.fs AND v.inode = n.id
              AND v.version_time <= n.t) fv
        WHERE n.k = 'f') a
    ORDER BY a.i;
END;
$$;
