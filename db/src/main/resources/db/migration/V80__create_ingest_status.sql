-- Ingest status for the dashboard and GET /api/v1/metrics (docs/operations.md).
--
-- consumer_status: one row per consumer instance (process and source), upserted by the instance
-- every status.interval.ms and once at shutdown, in its own short transaction apart from the
-- batches. Counters are the instance's own since its start; a restarted consumer is a new
-- instance, so summing over rows gives totals since the first start. An instance killed without
-- its final report keeps running = true; its "updated" then shows how stale the row is.
CREATE TABLE consumer_status (
    instance_id          text        PRIMARY KEY,
    source               text        NOT NULL,
    topic                text        NOT NULL,
    group_id             text        NOT NULL,
    host_name            text        NOT NULL,
    started              timestamptz NOT NULL,
    updated              timestamptz NOT NULL,
    running              boolean     NOT NULL,
    events_total         bigint      NOT NULL,
    batches_total        bigint      NOT NULL,
    dead_lettered_total  bigint      NOT NULL,
    events_per_second    double precision NOT NULL,
    lag                  bigint,                 -- messages behind; null: not known yet
    last_batch_ms        double precision        -- latency of the last batch; null: none yet
);

-- host_status: the latest host.status event per host (kernel audit status and the producer's
-- counters). Written by the auditd consumer with the batch that holds the event; a report never
-- replaces a newer one, so replays and out-of-order partitions change nothing.
CREATE TABLE host_status (
    host                  text        PRIMARY KEY,
    reported              timestamptz NOT NULL,  -- the event's time
    received              timestamptz NOT NULL,  -- when the consumer stored it
    producer              text        NOT NULL,
    interval_seconds      bigint,
    kernel_available      boolean     NOT NULL,
    kernel_reason         text,                  -- why not available
    kernel_enabled        bigint,
    kernel_lost           bigint,
    kernel_backlog        bigint,
    kernel_backlog_limit  bigint,
    events_published      bigint      NOT NULL,
    input_dropped         bigint      NOT NULL,
    sink_dropped          bigint      NOT NULL,
    spooled               bigint      NOT NULL,
    spool_pending         bigint      NOT NULL
);
