-- The raw events, exactly as received, so that every derived table can be rebuilt from them.
-- Keyed by (host, id): the host leads every graph key so the tables can be distributed by host
-- (Citus) without a rewrite; the id is the producer's deterministic event id, which makes a
-- re-delivered event a no-op (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE event_archive (
    host         text        NOT NULL,
    id           text        NOT NULL,
    type         text        NOT NULL,
    event_time   timestamptz NOT NULL,
    producer     text        NOT NULL,
    payload      jsonb       NOT NULL,
    source_topic text,
    source_partition integer,
    source_offset    bigint,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (host, id)
);

CREATE INDEX event_archive_time ON event_archive (host, event_time);
CREATE INDEX event_archive_type ON event_archive (type, event_time);
