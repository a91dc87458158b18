-- Work of rule actions (docs/rules.md, "Engine"). The consumer inserts one row per matching rule
-- action in the same transaction as the batch of events that matched, so work exists exactly when
-- its events are stored. Action threads claim rows (claimed_by/claimed_at: a lease, so a crashed
-- consumer's work is taken over when the lease runs out), do the work, and mark the row done in
-- the same transaction as their output whenever the output goes to this database.
--
-- Done rows are kept for a while (the engine purges them) so that a batch delivered again by Kafka
-- after its transaction committed finds its work already there (the unique key) instead of doing
-- it twice.

CREATE TABLE rule_work (
    id           bigserial   PRIMARY KEY,
    rule_id      text        NOT NULL,
    action_index integer     NOT NULL,   -- 0-based position of the action in its rule
    action_name  text        NOT NULL,   -- DBLOAD, DBTRANSFER, LOGLOAD, TRACK, CAPTURESOUT, ALERT
    event_host   text        NOT NULL,   -- the event's host (auditd host, Scale node)
    event_id     text        NOT NULL,
    graph_host   text        NOT NULL,   -- host of the event's rows in the graph (Scale: cluster)
    event_time   timestamptz NOT NULL,
    fields       jsonb       NOT NULL,   -- the event's fields as the rule language names them
    status       text        NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'done', 'failed', 'cancelled')),
    attempts     integer     NOT NULL DEFAULT 0,
    not_before   timestamptz NOT NULL DEFAULT now(),
    claimed_by   text,
    claimed_at   timestamptz,
    last_error   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    UNIQUE (rule_id, action_index, event_host, event_id)
);
CREATE INDEX rule_work_pending ON rule_work (action_name, id) WHERE status = 'pending';
CREATE INDEX rule_work_finished ON rule_work (finished_at) WHERE status <> 'pending';
