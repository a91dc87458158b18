-- A deterministic synthetic provenance graph shaped like real pipelines, for the lineage benchmark
-- (io.ursprung.bench.LineageBench). No randomness: every row follows from its index, so two runs
-- build the same graph.
--
-- Shape: 22,600 pipelines, each a driver process forking chains of 10 steps and a final gather.
--   * 100 big pipelines of 1,000 chains and 22,500 small ones of 4 chains (190,000 chains).
--   * step s of chain c reads the previous step's output (step 0 reads a raw input from before
--     capture), reads one of 500 shared files, executes /usr/bin/step<s>, writes one output; every
--     third step also reads the previous step through a pipe.
--   * the gather reads the last output of each of its chains and writes the pipeline's result.
-- Edges: used 5.7M + wasGeneratedBy 1.9M + fork 1.9M + pipe 0.6M + gather 0.2M = 10.3M.
-- Pipelines are spread over 32 hosts; times increase along each chain (lineage is time-respecting).

SET synchronous_commit = off;

-- Secondary indexes are dropped for the load and rebuilt at the end (much faster than
-- maintaining them row by row); their definitions come from the migrations.
CREATE TEMP TABLE saved_indexes AS
SELECT indexname, indexdef FROM pg_indexes
WHERE schemaname = 'public'
  AND tablename IN ('processes', 'used', 'file_versions', 'was_informed_by', 'file_names')
  AND indexname NOT LIKE '%_pkey';
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT indexname FROM saved_indexes LOOP
    EXECUTE 'DROP INDEX ' || quote_ident(r.indexname);
  END LOOP;
END $$;

CREATE TEMP TABLE chains AS
SELECT c,
       CASE WHEN c < 100000 THEN c / 1000 ELSE 100 + (c - 100000) / 4 END AS pipeline
FROM generate_series(0, 189999) AS c;

CREATE TEMP TABLE steps AS
SELECT ch.c, ch.pipeline, s,
       'node' || (ch.pipeline % 32) AS host,
       ch.c * 10 + s + 2 AS pid,
       timestamptz '2026-01-01 00:00:00Z' + ch.pipeline * interval '10 minutes'
         + s * interval '10 seconds' + (ch.c % 1000) * interval '1 millisecond' AS st
FROM chains ch, generate_series(0, 9) AS s;

-- drivers and gathers
INSERT INTO processes (host, pid, start_time, start_how, uid, gid, user_name, cwd, exe, argv,
                       end_time, exit_code)
SELECT 'node' || (p % 32), 40000000 + p,
       timestamptz '2026-01-01 00:00:00Z' + p * interval '10 minutes' - interval '1 second',
       'fork', 1000 + p % 50, 1000, 'user' || (p % 50), '/data/run' || p, '/bin/bash',
       ARRAY['bash', 'pipeline.sh', 'run' || p],
       timestamptz '2026-01-01 00:00:00Z' + p * interval '10 minutes' + interval '9 minutes 40 seconds', 0
FROM generate_series(0, 22599) AS p;

INSERT INTO processes (host, pid, start_time, start_how, parent_pid, parent_start, uid, gid,
                       user_name, cwd, exe, argv, end_time, exit_code)
SELECT 'node' || (p % 32), 50000000 + p,
       timestamptz '2026-01-01 00:00:00Z' + p * interval '10 minutes' + interval '9 minutes',
       'fork', 40000000 + p,
       timestamptz '2026-01-01 00:00:00Z' + p * interval '10 minutes' - interval '1 second',
       1000 + p % 50, 1000, 'user' || (p % 50), '/data/run' || p, '/usr/bin/gather',
       ARRAY['gather', '-o', 'result'],
       timestamptz '2026-01-01 00:00:00Z' + p * interval '10 minutes' + interval '9 minutes 31 seconds', 0
FROM generate_series(0, 22599) AS p;

INSERT INTO processes (host, pid, start_time, start_how, parent_pid, parent_start, uid, gid,
                       user_name, cwd, exe, argv, end_time, exit_code)
SELECT host, pid, st, 'fork', 40000000 + pipeline,
       timestamptz '2026-01-01 00:00:00Z' + pipeline * interval '10 minutes' - interval '1 second',
       1000 + pipeline % 50, 1000, 'user' || (pipeline % 50), '/data/run' || pipeline,
       '/usr/bin/step' || s, ARRAY['step' || s, '--chain', c::text],
       st + interval '6 seconds', 0
FROM steps;

-- outputs of every step, and of every gather
INSERT INTO file_versions (host, event_id, fs, inode, version_time, cause, path, size,
                           proc_host, pid, start_time, source)
SELECT host, 'v' || pid, '253:1', c * 10 + s, st + interval '5 seconds', 'write',
       '/data/run' || pipeline || '/c' || c || '/s' || s, 4096, host, pid, st, 'auditd'
FROM steps;
INSERT INTO file_versions (host, event_id, fs, inode, version_time, cause, path, size,
                           proc_host, pid, start_time, source)
SELECT 'node' || (p % 32), 'g' || p, '253:1', 400000000 + p,
       timestamptz '2026-01-01 00:00:00Z' + p * interval '10 minutes' + interval '9 minutes 30 seconds',
       'write', '/data/run' || p || '/result', 65536, 'node' || (p % 32), 50000000 + p,
       timestamptz '2026-01-01 00:00:00Z' + p * interval '10 minutes' + interval '9 minutes', 'auditd'
FROM generate_series(0, 22599) AS p;

INSERT INTO file_names (host, event_id, path, op, fs, inode, time, proc_host, pid, start_time)
SELECT host, event_id, path, 'create', fs, inode, version_time, proc_host, pid, start_time
FROM file_versions;

-- reads: the previous output (or a raw input), a shared file, the executable
INSERT INTO used (host, event_id, kind, pid, start_time, time, file_host, fs, inode, path, source)
SELECT host, 'r' || pid, 'read', pid, st, st + interval '1 second', host, '253:1',
       CASE WHEN s = 0 THEN 100000000 + c ELSE c * 10 + s - 1 END,
       CASE WHEN s = 0 THEN '/data/raw/' || c
            ELSE '/data/run' || pipeline || '/c' || c || '/s' || (s - 1) END, 'auditd'
FROM steps;
INSERT INTO used (host, event_id, kind, pid, start_time, time, file_host, fs, inode, path, source)
SELECT host, 'h' || pid, 'read', pid, st, st + interval '2 seconds', host, '253:1',
       200000000 + c % 500, '/etc/shared/' || (c % 500), 'auditd'
FROM steps;
INSERT INTO used (host, event_id, kind, pid, start_time, time, file_host, fs, inode, path, source)
SELECT host, 'x' || pid, 'exec', pid, st, st, host, '253:1', 300000000 + s,
       '/usr/bin/step' || s, 'auditd'
FROM steps;
INSERT INTO used (host, event_id, kind, pid, start_time, time, file_host, fs, inode, path, source)
SELECT 'node' || (ch.pipeline % 32), 'gr' || ch.c, 'read', 50000000 + ch.pipeline,
       timestamptz '2026-01-01 00:00:00Z' + ch.pipeline * interval '10 minutes' + interval '9 minutes',
       timestamptz '2026-01-01 00:00:00Z' + ch.pipeline * interval '10 minutes' + interval '9 minutes 1 second',
       'node' || (ch.pipeline % 32), '253:1', ch.c * 10 + 9,
       '/data/run' || ch.pipeline || '/c' || ch.c || '/s9', 'auditd'
FROM chains ch;

-- fork parentage and pipes
INSERT INTO was_informed_by (host, event_id, kind, pid, start_time, informant_pid,
                             informant_start, time, channel)
SELECT host, 'f' || pid, 'fork', pid, st, 40000000 + pipeline,
       timestamptz '2026-01-01 00:00:00Z' + pipeline * interval '10 minutes' - interval '1 second',
       st, NULL
FROM steps;
INSERT INTO was_informed_by (host, event_id, kind, pid, start_time, informant_pid,
                             informant_start, time, channel)
SELECT host, 'p' || pid, 'pipe', pid, st, pid - 1, st - interval '10 seconds', st,
       'pipe:' || pid
FROM steps WHERE s % 3 = 2;

DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT indexdef FROM saved_indexes LOOP
    EXECUTE r.indexdef;
  END LOOP;
END $$;
ANALYZE;
