-- State of the CamFlow source (docs/camflow.md). CamFlow publishes partial W3C PROV-JSON documents
-- over MQTT: a relation may name vertices that came in an earlier packet or will come in a later
-- one. Everything the consumer needs to finish such a relation is kept here, written in the same
-- transaction as the graph rows of the packet and before the packet is acknowledged to the broker,
-- so a consumer killed at any moment loses nothing and a packet delivered again changes nothing.
-- host leads every key (the graph host a CamFlow machine maps to), as in the graph tables.

-- Machines that announced themselves (camflow/machines) and the graph host each one maps to. The
-- first mapping stays, so a machine's rows never split over two host names.
CREATE TABLE camflow_machines (
    machine_id text        PRIMARY KEY,
    host       text        NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL
);

-- Packets already stored, by the SHA-256 of their payload: a redelivered packet is skipped.
CREATE TABLE camflow_packets (
    host        text        NOT NULL,
    digest      text        NOT NULL,
    received_at timestamptz NOT NULL,
    vertices    integer     NOT NULL,
    relations   integer     NOT NULL,
    PRIMARY KEY (host, digest)
);

-- Every vertex seen (a version of a kernel object), with its PROV-JSON attributes, so that a
-- relation arriving later can be mapped.
CREATE TABLE camflow_vertices (
    host       text  NOT NULL,
    vertex_id  text  NOT NULL,   -- the CamFlow id (Base64 of the binary identifier)
    section    text  NOT NULL,   -- entity, activity or agent
    attributes jsonb NOT NULL,
    PRIMARY KEY (host, vertex_id)
);

-- A CamFlow object (cf:id within a boot) that became an Ursprung process, and the start time it
-- got: the first version seen fixes it, so later versions join the same process row.
CREATE TABLE camflow_processes (
    host       text        NOT NULL,
    boot_id    text        NOT NULL,
    object_id  text        NOT NULL,
    pid        integer     NOT NULL,
    start_time timestamptz NOT NULL,
    PRIMARY KEY (host, boot_id, object_id)
);

-- Relations whose vertices are not all known yet. Deleted when they are mapped.
CREATE TABLE camflow_pending (
    host        text        NOT NULL,
    relation_id text        NOT NULL,
    section     text        NOT NULL,   -- used, wasGeneratedBy, wasInformedBy, wasDerivedFrom, ...
    attributes  jsonb       NOT NULL,
    refs        text[]      NOT NULL,   -- the vertex ids it names
    received_at timestamptz NOT NULL,
    PRIMARY KEY (host, relation_id)
);
CREATE INDEX camflow_pending_refs ON camflow_pending USING gin (refs);

-- Packets that could not be used (bad Base64, bad zlib, bad JSON, bad structure), with the reason.
CREATE TABLE camflow_dead_letters (
    id          bigserial   PRIMARY KEY,
    topic       text        NOT NULL,
    machine_id  text,
    reason      text        NOT NULL,
    payload     bytea       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
