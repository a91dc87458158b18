-- lineage_walk, same answers as V22, cheaper per file version: upstream, a file version's writer
-- and its rename predecessor come from one probe of the version's row instead of two. (The other
-- half of issue 5's cost, the node attributes, is fetched once per distinct node by
-- JdbcLineageService.)

CREATE OR REPLACE FUNCTION lineage_walk(
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
