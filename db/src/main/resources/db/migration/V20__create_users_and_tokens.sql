-- Users of the REST API and GUI, their bearer tokens, and what provenance each may see.
--
-- These are reference tables under Citus (small, replicated to every node), unlike the graph
-- tables, which are distributed by host.

CREATE TABLE api_users (
    id            bigserial   PRIMARY KEY,
    name          text        NOT NULL UNIQUE,
    role          text        NOT NULL CHECK (role IN ('viewer', 'admin')),
    -- pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>; NULL: the user cannot log in with a
    -- password (the built-in admin, which is reached through URSPRUNG_ADMIN_TOKEN).
    password_hash text,
    builtin       boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Bearer tokens are stored as SHA-256 digests only: a copy of this table does not let anyone in.
-- Tokens are 256 random bits, so an unsalted fast hash is enough (no dictionary to attack).
CREATE TABLE api_tokens (
    token_sha256 bytea       PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES api_users (id) ON DELETE CASCADE,
    kind         text        NOT NULL CHECK (kind IN ('session', 'environment')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz            -- NULL: until revoked (the environment admin token)
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE INDEX api_tokens_expiry ON api_tokens (expires_at) WHERE expires_at IS NOT NULL;

-- A user sees the provenance of processes running as these uids ...
CREATE TABLE api_user_uids (
    user_id bigint  NOT NULL REFERENCES api_users (id) ON DELETE CASCADE,
    uid     integer NOT NULL,
    PRIMARY KEY (user_id, uid)
);

-- ... and of processes whose group is one of these gids (a group granted to the user).
CREATE TABLE api_user_gids (
    user_id bigint  NOT NULL REFERENCES api_users (id) ON DELETE CASCADE,
    gid     integer NOT NULL,
    PRIMARY KEY (user_id, gid)
);

INSERT INTO api_users (name, role, password_hash, builtin) VALUES ('admin', 'admin', NULL, true);
