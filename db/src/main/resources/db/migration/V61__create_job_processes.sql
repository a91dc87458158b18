-- Which processes belong to which job, for the runs list and comparison (docs/jobs.md, Linking).
--
-- A process belongs to a job when the producer tagged it (processes.job_id), or when it ran on a
-- host named by one of the job's started records, in the session (or, without a session id, the
-- process group) that record names, and started between five minutes before the record's start
-- time (the job's first process exists before the hook inside it runs) and the job's end
-- (finished, else cancelled, plus a minute of clock skew; open while neither is known). The time
-- bound is what keeps a reused session id from pulling in later, unrelated processes.
CREATE VIEW job_processes AS
SELECT p.host, p.pid, p.start_time, p.job_id
FROM processes p
WHERE p.job_id IS NOT NULL
UNION
SELECT p.host, p.pid, p.start_time, s.job_id
FROM job_started s
JOIN processes p
  ON p.host = s.executing_host
 AND ((s.session_id IS NOT NULL AND p.sid = s.session_id)
      OR (s.session_id IS NULL AND s.process_group_id IS NOT NULL
          AND p.pgid = s.process_group_id))
 AND p.start_time >= s.start_time - interval '5 minutes'
 AND p.start_time <= coalesce(
        (SELECT max(coalesce(f.lrm_finish_time, f.service_finish_time))
           FROM job_finished f WHERE f.job_id = s.job_id),
        (SELECT max(c.cancel_time) FROM job_cancelled c WHERE c.job_id = s.job_id),
        'infinity'::timestamptz) + interval '1 minute'
WHERE s.session_id IS NOT NULL OR s.process_group_id IS NOT NULL;

CREATE INDEX processes_sid ON processes (host, sid, start_time);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ursprung_job_viewer') THEN
        GRANT SELECT ON job_processes TO ursprung_job_viewer;
    END IF;
END
$$;
