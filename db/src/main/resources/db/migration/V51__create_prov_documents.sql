-- Imported W3C PROV-JSON documents (docs/prov.md). What the provenance graph can hold natively
-- (processes, file versions and their used / wasGeneratedBy / wasInformedBy / wasDerivedFrom
-- edges) is also written to the graph tables; every record is additionally kept verbatim here,
-- because the graph cannot hold agents, bundles, most relation kinds, or arbitrary attributes, and
-- an export of an imported document must give back exactly what was imported.

CREATE TABLE prov_documents (
    doc_id      text        PRIMARY KEY,   -- SHA-256 of the document text, so a re-import is a no-op
    name        text,                      -- file name it was imported from
    prefixes    text        NOT NULL,      -- the prefix section as JSON text (order kept)
    document    text        NOT NULL,      -- the whole document as JSON text
    imported_at timestamptz NOT NULL DEFAULT now()
);

-- One record of a document: an element or a relation, with its attributes as JSON text (text, not
-- jsonb, to keep attribute order). Bundles are stored as one record of section 'bundle'.
CREATE TABLE prov_records (
    doc_id     text    NOT NULL REFERENCES prov_documents (doc_id),
    section    text    NOT NULL,
    record_id  text    NOT NULL,
    position   integer NOT NULL,
    attributes text    NOT NULL,
    PRIMARY KEY (doc_id, section, record_id)
);
CREATE INDEX prov_records_id ON prov_records (record_id, section);
