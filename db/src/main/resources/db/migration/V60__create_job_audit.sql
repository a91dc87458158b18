-- Job audit (GRAM-style): one insert-only table per lifecycle stage plus the resource manager's
-- accounting, the catalog of attribute URIs, the assembled per-job view, and the two database roles
-- that make "insert-only" a property of the database rather than of our code (docs/jobs.md).
--
-- Every row is keyed by the event id provd derived from the record file's content, so a record
-- delivered twice is stored once (INSERT ... ON CONFLICT DO NOTHING needs only INSERT privilege).
-- recorded_host is the host whose provd uploaded the record.

CREATE TABLE job_initialized (
    event_id             text        PRIMARY KEY,
    job_id               text        NOT NULL,
    user_name            text        NOT NULL,
    recorded_host        text        NOT NULL,
    request_id           text,
    client_host          text,
    client_submission_id text,
    gateway_user         text,
    creation_time        timestamptz NOT NULL,
    resource_manager     text,
    version              text,
    job_description      text
);
CREATE INDEX job_initialized_job ON job_initialized (job_id, creation_time);
CREATE INDEX job_initialized_submission ON job_initialized (client_submission_id)
    WHERE client_submission_id IS NOT NULL;

CREATE TABLE job_queued (
    event_id      text        PRIMARY KEY,
    job_id        text        NOT NULL,
    user_name     text        NOT NULL,
    recorded_host text        NOT NULL,
    local_job_id  text        NOT NULL,
    queued_time   timestamptz NOT NULL,
    stage_in_id   text,
    queue         text
);
CREATE INDEX job_queued_job ON job_queued (job_id, queued_time);
CREATE INDEX job_queued_local ON job_queued (local_job_id, queued_time);

-- A multi-node job has one started record per node; the hooks may add one from inside the job
-- that names the session of its processes (session_id / process_group_id), used for linking.
CREATE TABLE job_started (
    event_id         text        PRIMARY KEY,
    job_id           text        NOT NULL,
    user_name        text        NOT NULL,
    recorded_host    text        NOT NULL,
    start_time       timestamptz NOT NULL,
    executing_host   text        NOT NULL,
    session_id       integer,
    process_group_id integer
);
CREATE INDEX job_started_job ON job_started (job_id, start_time);
CREATE INDEX job_started_host ON job_started (executing_host, start_time);

CREATE TABLE job_cancelled (
    event_id      text        PRIMARY KEY,
    job_id        text        NOT NULL,
    user_name     text        NOT NULL,
    recorded_host text        NOT NULL,
    request_id    text,
    reason        text        NOT NULL CHECK (reason IN ('LIFETIME_EXPIRED', 'USER', 'SERVICE')),
    cancel_time   timestamptz NOT NULL
);
CREATE INDEX job_cancelled_job ON job_cancelled (job_id, cancel_time);

CREATE TABLE job_finished (
    event_id            text        PRIMARY KEY,
    job_id              text        NOT NULL,
    user_name           text        NOT NULL,
    recorded_host       text        NOT NULL,
    lrm_finish_time     timestamptz,
    service_finish_time timestamptz NOT NULL,
    stage_out_id        text,
    clean_up_id         text,
    elapsed_seconds     numeric,
    final_state         text        NOT NULL CHECK (final_state IN ('SUCCESSFUL_COMPLETION',
                            'FAIL_USER_TERMINATED', 'FAIL_RESOURCE_LIMIT', 'FAIL_LRM_FAILURE')),
    exit_code           integer
);
CREATE INDEX job_finished_job ON job_finished (job_id, service_finish_time);

-- What the resource manager says (sacct, or the CSV form). Not keyed by our job id: resource
-- managers reuse local ids, so a record is joined to a job by local id and queued time.
CREATE TABLE job_accounting (
    event_id           text        PRIMARY KEY,
    record_id          text        NOT NULL,
    user_name          text        NOT NULL,
    recorded_host      text        NOT NULL,
    resource_manager   text,
    local_job_id       text        NOT NULL,
    queued_time        timestamptz NOT NULL,
    start_time         timestamptz,
    finish_time        timestamptz,
    elapsed_seconds    numeric,
    user_cpu_seconds   numeric,
    system_cpu_seconds numeric,
    state              text
);
CREATE INDEX job_accounting_local ON job_accounting (local_job_id, queued_time);

-- Defence in depth: even the owner's sessions cannot rewrite history by accident. The roles
-- below are what a compromised loader or viewer runs into; this trigger covers everyone else
-- (an administrator who really must prune can disable it, which is itself visible in the logs).
CREATE FUNCTION job_audit_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'job audit tables are insert-only (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER job_initialized_insert_only BEFORE UPDATE OR DELETE ON job_initialized
    FOR EACH ROW EXECUTE FUNCTION job_audit_insert_only();
CREATE TRIGGER job_queued_insert_only BEFORE UPDATE OR DELETE ON job_queued
    FOR EACH ROW EXECUTE FUNCTION job_audit_insert_only();
CREATE TRIGGER job_started_insert_only BEFORE UPDATE OR DELETE ON job_started
    FOR EACH ROW EXECUTE FUNCTION job_audit_insert_only();
CREATE TRIGGER job_cancelled_insert_only BEFORE UPDATE OR DELETE ON job_cancelled
    FOR EACH ROW EXECUTE FUNCTION job_audit_insert_only();
CREATE TRIGGER job_finished_insert_only BEFORE UPDATE OR DELETE ON job_finished
    FOR EACH ROW EXECUTE FUNCTION job_audit_insert_only();
CREATE TRIGGER job_accounting_insert_only BEFORE UPDATE OR DELETE ON job_accounting
    FOR EACH ROW EXECUTE FUNCTION job_audit_insert_only();

-- Globally unique attribute names, so a job can be exported as name-value pairs (API
-- /jobs/{id}/attributes) without the receiver knowing our table layout. One row per column.
CREATE TABLE job_attribute_names (
    uri         text PRIMARY KEY,
    table_name  text NOT NULL,
    column_name text NOT NULL,
    description text NOT NULL,
    UNIQUE (table_name, column_name)
);
INSERT INTO job_attribute_names (uri, table_name, column_name, description) VALUES
 ('https://ursprung.io/ns/job/initialized#eventId', 'job_initialized', 'event_id', 'id of the record event (hash of the record file)'),
 ('https://ursprung.io/ns/job/initialized#jobId', 'job_initialized', 'job_id', 'global job id'),
 ('https://ursprung.io/ns/job/initialized#user', 'job_initialized', 'user_name', 'user the job runs as'),
 ('https://ursprung.io/ns/job/initialized#recordedHost', 'job_initialized', 'recorded_host', 'host whose provd uploaded the record'),
 ('https://ursprung.io/ns/job/initialized#requestId', 'job_initialized', 'request_id', 'id of the submission request'),
 ('https://ursprung.io/ns/job/initialized#clientHost', 'job_initialized', 'client_host', 'host the job was submitted from'),
 ('https://ursprung.io/ns/job/initialized#clientSubmissionId', 'job_initialized', 'client_submission_id', 'the submitting client''s (gateway''s) own id of the job'),
 ('https://ursprung.io/ns/job/initialized#gatewayUser', 'job_initialized', 'gateway_user', 'the person a gateway submitted the job for'),
 ('https://ursprung.io/ns/job/initialized#creationTime', 'job_initialized', 'creation_time', 'when the job was created (UTC)'),
 ('https://ursprung.io/ns/job/initialized#resourceManager', 'job_initialized', 'resource_manager', 'resource manager type (slurm, lsf, pbs, ...)'),
 ('https://ursprung.io/ns/job/initialized#version', 'job_initialized', 'version', 'resource manager or service version'),
 ('https://ursprung.io/ns/job/initialized#jobDescription', 'job_initialized', 'job_description', 'the job description (script name, command line or RSL)'),
 ('https://ursprung.io/ns/job/queued#eventId', 'job_queued', 'event_id', 'id of the record event'),
 ('https://ursprung.io/ns/job/queued#jobId', 'job_queued', 'job_id', 'global job id'),
 ('https://ursprung.io/ns/job/queued#user', 'job_queued', 'user_name', 'user the job runs as'),
 ('https://ursprung.io/ns/job/queued#recordedHost', 'job_queued', 'recorded_host', 'host whose provd uploaded the record'),
 ('https://ursprung.io/ns/job/queued#localJobId', 'job_queued', 'local_job_id', 'the resource manager''s job id'),
 ('https://ursprung.io/ns/job/queued#queuedTime', 'job_queued', 'queued_time', 'when the job entered the queue (UTC)'),
 ('https://ursprung.io/ns/job/queued#stageInId', 'job_queued', 'stage_in_id', 'id of the stage-in transfer'),
 ('https://ursprung.io/ns/job/queued#queue', 'job_queued', 'queue', 'queue or partition'),
 ('https://ursprung.io/ns/job/started#eventId', 'job_started', 'event_id', 'id of the record event'),
 ('https://ursprung.io/ns/job/started#jobId', 'job_started', 'job_id', 'global job id'),
 ('https://ursprung.io/ns/job/started#user', 'job_started', 'user_name', 'user the job runs as'),
 ('https://ursprung.io/ns/job/started#recordedHost', 'job_started', 'recorded_host', 'host whose provd uploaded the record'),
 ('https://ursprung.io/ns/job/started#startTime', 'job_started', 'start_time', 'when the job started (UTC)'),
 ('https://ursprung.io/ns/job/started#executingHost', 'job_started', 'executing_host', 'host the job runs on'),
 ('https://ursprung.io/ns/job/started#sessionId', 'job_started', 'session_id', 'session id of the job''s processes on the executing host'),
 ('https://ursprung.io/ns/job/started#processGroupId', 'job_started', 'process_group_id', 'process group id of the job''s processes'),
 ('https://ursprung.io/ns/job/cancelled#eventId', 'job_cancelled', 'event_id', 'id of the record event'),
 ('https://ursprung.io/ns/job/cancelled#jobId', 'job_cancelled', 'job_id', 'global job id'),
 ('https://ursprung.io/ns/job/cancelled#user', 'job_cancelled', 'user_name', 'user the job runs as'),
 ('https://ursprung.io/ns/job/cancelled#recordedHost', 'job_cancelled', 'recorded_host', 'host whose provd uploaded the record'),
 ('https://ursprung.io/ns/job/cancelled#requestId', 'job_cancelled', 'request_id', 'id of the cancel request'),
 ('https://ursprung.io/ns/job/cancelled#reason', 'job_cancelled', 'reason', 'LIFETIME_EXPIRED, USER or SERVICE'),
 ('https://ursprung.io/ns/job/cancelled#cancelTime', 'job_cancelled', 'cancel_time', 'when the job was cancelled (UTC)'),
 ('https://ursprung.io/ns/job/finished#eventId', 'job_finished', 'event_id', 'id of the record event'),
 ('https://ursprung.io/ns/job/finished#jobId', 'job_finished', 'job_id', 'global job id'),
 ('https://ursprung.io/ns/job/finished#user', 'job_finished', 'user_name', 'user the job runs as'),
 ('https://ursprung.io/ns/job/finished#recordedHost', 'job_finished', 'recorded_host', 'host whose provd uploaded the record'),
 ('https://ursprung.io/ns/job/finished#lrmFinishTime', 'job_finished', 'lrm_finish_time', 'when the resource manager finished the job (UTC)'),
 ('https://ursprung.io/ns/job/finished#serviceFinishTime', 'job_finished', 'service_finish_time', 'when the service finished with the job (UTC)'),
 ('https://ursprung.io/ns/job/finished#stageOutId', 'job_finished', 'stage_out_id', 'id of the stage-out transfer'),
 ('https://ursprung.io/ns/job/finished#cleanUpId', 'job_finished', 'clean_up_id', 'id of the clean-up transfer'),
 ('https://ursprung.io/ns/job/finished#elapsedSeconds', 'job_finished', 'elapsed_seconds', 'wall-clock run time, seconds'),
 ('https://ursprung.io/ns/job/finished#finalState', 'job_finished', 'final_state', 'SUCCESSFUL_COMPLETION, FAIL_USER_TERMINATED, FAIL_RESOURCE_LIMIT or FAIL_LRM_FAILURE'),
 ('https://ursprung.io/ns/job/finished#exitCode', 'job_finished', 'exit_code', 'exit code of the job'),
 ('https://ursprung.io/ns/job/accounting#eventId', 'job_accounting', 'event_id', 'id of the record event'),
 ('https://ursprung.io/ns/job/accounting#recordId', 'job_accounting', 'record_id', 'id of the accounting record (resource manager, local id, submit time)'),
 ('https://ursprung.io/ns/job/accounting#user', 'job_accounting', 'user_name', 'user the resource manager ran the job as'),
 ('https://ursprung.io/ns/job/accounting#recordedHost', 'job_accounting', 'recorded_host', 'host whose provd uploaded the record'),
 ('https://ursprung.io/ns/job/accounting#resourceManager', 'job_accounting', 'resource_manager', 'resource manager type'),
 ('https://ursprung.io/ns/job/accounting#localJobId', 'job_accounting', 'local_job_id', 'the resource manager''s job id'),
 ('https://ursprung.io/ns/job/accounting#queuedTime', 'job_accounting', 'queued_time', 'submit time by the resource manager (UTC)'),
 ('https://ursprung.io/ns/job/accounting#startTime', 'job_accounting', 'start_time', 'start time by the resource manager (UTC)'),
 ('https://ursprung.io/ns/job/accounting#finishTime', 'job_accounting', 'finish_time', 'end time by the resource manager (UTC)'),
 ('https://ursprung.io/ns/job/accounting#elapsedSeconds', 'job_accounting', 'elapsed_seconds', 'elapsed wall-clock time, seconds'),
 ('https://ursprung.io/ns/job/accounting#userCpuSeconds', 'job_accounting', 'user_cpu_seconds', 'user CPU time, seconds'),
 ('https://ursprung.io/ns/job/accounting#systemCpuSeconds', 'job_accounting', 'system_cpu_seconds', 'system CPU time, seconds'),
 ('https://ursprung.io/ns/job/accounting#state', 'job_accounting', 'state', 'the resource manager''s final job state');

-- The accounting join window: the session setting ursprung.job_accounting_window (an interval),
-- default 4 hours.
CREATE FUNCTION job_accounting_window() RETURNS interval LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('ursprung.job_accounting_window', true), '')::interval,
                    interval '4 hours')
$$;

-- One row per job: the first record of each stage (the latest finished record), and the
-- accounting record with the same local id whose queued time is within the window and closest to
-- this job's, provided no other job with that local id is closer to it (a reused id must not hand
-- one job's accounting to its neighbour that has none yet).
CREATE VIEW job_records AS
WITH owners AS (
    SELECT DISTINCT ON (job_id) job_id, user_name FROM (
        SELECT job_id, user_name, 0 AS pref, creation_time AS t FROM job_initialized
        UNION ALL SELECT job_id, user_name, 1, queued_time FROM job_queued
        UNION ALL SELECT job_id, user_name, 2, start_time FROM job_started
        UNION ALL SELECT job_id, user_name, 3, cancel_time FROM job_cancelled
        UNION ALL SELECT job_id, user_name, 4, service_finish_time FROM job_finished) u
    ORDER BY job_id, pref, t)
SELECT o.job_id, o.user_name,
       i.request_id, i.client_host, i.client_submission_id, i.gateway_user, i.creation_time,
       i.resource_manager, i.version, i.job_description,
       q.local_job_id, q.queued_time, q.stage_in_id, q.queue,
       s.start_time, s.executing_host,
       c.request_id AS cancel_request_id, c.reason AS cancel_reason, c.cancel_time,
       f.lrm_finish_time, f.service_finish_time, f.stage_out_id, f.clean_up_id,
       f.elapsed_seconds, f.final_state, f.exit_code,
       a.event_id AS accounting_event_id, a.queued_time AS accounting_queued_time,
       a.start_time AS accounting_start_time, a.finish_time AS accounting_finish_time,
       a.elapsed_seconds AS accounting_elapsed_seconds, a.user_cpu_seconds,
       a.system_cpu_seconds, a.state AS accounting_state
FROM owners o
LEFT JOIN LATERAL (SELECT * FROM job_initialized x WHERE x.job_id = o.job_id
                   ORDER BY x.creation_time, x.event_id LIMIT 1) i ON true
LEFT JOIN LATERAL (SELECT * FROM job_queued x WHERE x.job_id = o.job_id
                   ORDER BY x.queued_time, x.event_id LIMIT 1) q ON true
LEFT JOIN LATERAL (SELECT * FROM job_started x WHERE x.job_id = o.job_id
                   ORDER BY x.start_time, x.event_id LIMIT 1) s ON true
LEFT JOIN LATERAL (SELECT * FROM job_cancelled x WHERE x.job_id = o.job_id
                   ORDER BY x.cancel_time, x.event_id LIMIT 1) c ON true
LEFT JOIN LATERAL (SELECT * FROM job_finished x WHERE x.job_id = o.job_id
                   ORDER BY x.service_finish_time DESC, x.event_id LIMIT 1) f ON true
LEFT JOIN LATERAL (
    SELECT * FROM job_accounting a
    WHERE a.local_job_id = q.local_job_id
      AND (a.resource_manager IS NULL OR i.resource_manager IS NULL
           OR a.resource_manager = i.resource_manager)
      AND a.queued_time BETWEEN q.queued_time - job_accounting_window()
                            AND q.queued_time + job_accounting_window()
      AND NOT EXISTS (
          SELECT 1 FROM job_queued q2
          WHERE q2.local_job_id = a.local_job_id AND q2.job_id <> o.job_id
            AND abs(extract(epoch FROM q2.queued_time - a.queued_time))
                < abs(extract(epoch FROM q.queued_time - a.queued_time)))
    ORDER BY abs(extract(epoch FROM a.queued_time - q.queued_time)), a.event_id
    LIMIT 1) a ON true;

-- Roles are cluster-wide, so they are created only when missing (and a concurrent migration of
-- another database creating them first is fine). Creating roles needs CREATEROLE; without it the
-- migration still succeeds and the administrator creates them (docs/jobs.md), after which the
-- GRANTs of this migration can be repeated by hand.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['ursprung_job_loader', 'ursprung_job_viewer'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN NULL;
                WHEN insufficient_privilege THEN
                    RAISE WARNING 'cannot create role %: %; create it as an administrator', r, SQLERRM;
            END;
        END IF;
    END LOOP;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ursprung_job_loader') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO ursprung_job_loader', current_schema());
        GRANT INSERT ON job_initialized, job_queued, job_started, job_cancelled, job_finished,
            job_accounting TO ursprung_job_loader;
        -- So that the consumer, connected as the schema owner, can SET ROLE to the loader.
        BEGIN
            EXECUTE format('GRANT ursprung_job_loader TO %I', current_user);
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'cannot grant ursprung_job_loader to %: %', current_user, SQLERRM;
        END;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ursprung_job_viewer') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO ursprung_job_viewer', current_schema());
        GRANT SELECT ON job_initialized, job_queued, job_started, job_cancelled, job_finished,
            job_accounting, job_attribute_names, job_records TO ursprung_job_viewer;
        BEGIN
            EXECUTE format('GRANT ursprung_job_viewer TO %I', current_user);
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'cannot grant ursprung_job_viewer to %: %', current_user, SQLERRM;
        END;
    END IF;
END
$$;
