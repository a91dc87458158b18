-- The archive keeps each event's JSON as text, exactly as received, instead of jsonb.
--
-- Why: the consumer benchmark (issue 4, docs/performance.md) showed that parsing every archived
-- payload into jsonb was the largest single cost of storing a batch: about a third of the COPY time
-- of all graph tables together, paid again for every event. No query reads into the payload (the
-- derived tables hold every field that is searched; EventArchive.byHost reads it back whole), so
-- the parse bought nothing. Text also keeps the bytes the producer sent, which is what the archive
-- promises ("the raw events, exactly as received"); a query that needs a field can still cast
-- (payload::jsonb ->> 'type').
--
-- event_archive_type is dropped for the same reason: no query selects archived events by type, and
-- each index costs every ingested row an index insertion.
ALTER TABLE event_archive ALTER COLUMN payload TYPE text USING payload::text;
DROP INDEX IF EXISTS event_archive_type;
