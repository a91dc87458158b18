-- Alerts raised by ALERT rule actions, one per rule action and event (a re-delivered event does not
-- raise it twice). Listed by io.ursprung.db.rules.AlertQueries for the API and GUI.

CREATE TABLE alerts (
    id           bigserial   PRIMARY KEY,
    rule_id      text        NOT NULL,
    action_index integer     NOT NULL,
    message      text        NOT NULL,
    host         text        NOT NULL,   -- the event's host
    event_id     text        NOT NULL,
    event_type   text,
    event_time   timestamptz NOT NULL,
    pid          integer,
    path         text,
    raised_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (rule_id, action_index, host, event_id)
);
CREATE INDEX alerts_time ON alerts (event_time DESC, id DESC);
