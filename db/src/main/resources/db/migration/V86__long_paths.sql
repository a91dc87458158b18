-- Paths of any legal length can be stored.
--
-- A B-tree entry holds at most about 2,700 bytes (a third of a page, after PostgreSQL's own
-- compression of the value). Linux paths go up to 4,095 bytes, and a deep tree of hashed names
-- (dataset shards, build caches) neither stays short nor compresses: before this migration an
-- event naming such a path failed its batch with "index row size exceeds btree maximum", and the
-- consumer dead-lettered the event. Its provenance was lost.
--
-- The indexes on paths now hold path_key(path): the path itself up to 2,048 bytes (every path
-- seen so far, byte for byte, so those indexes keep the same order and the same entries), and past
-- that the first 256 characters, a space and the MD5 of the whole path (at most 1,057 bytes). A
-- look-up by path asks for path_key(path) = path_key($1) AND path = $1: the index narrows to the
-- key, the second condition keeps the answer exact should two long paths ever share a key.
-- The unique indexes are unique on the key; two different long paths with the same first 256
-- characters and the same MD5 in one event would count as one name, which is accepted.
--
-- IMMUTABLE, not STRICT (PostgreSQL does not inline a strict function around a CASE; NULL gives NULL
-- anyway), and written in SQL, so that PostgreSQL inlines it into index maintenance and queries
-- (EXPLAIN VERBOSE shows the CASE): it is evaluated for every file name the consumer writes.

CREATE FUNCTION path_key(path text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN octet_length(path) <= 2048 THEN path
                      ELSE left(path, 256) || ' ' || md5(path) END $$;

-- file_names: the primary key named the path, and a primary key cannot hold an expression. The
-- unique index that replaces it is what the consumer's ON CONFLICT DO NOTHING meets on a replay.
ALTER TABLE file_names DROP CONSTRAINT file_names_pkey;
CREATE UNIQUE INDEX file_names_event ON file_names (host, event_id, path_key(path), op);
-- Without a primary key the table would have no replica identity, and a publication of all tables
-- (an operator's logical replica) would make the sightings upsert's UPDATE fail. An expression
-- index cannot be the identity; the whole row can. It costs WAL only for updates and deletes, and
-- only with wal_level = logical.
ALTER TABLE file_names REPLICA IDENTITY FULL;

DROP INDEX file_names_path;
CREATE INDEX file_names_path ON file_names (path_key(path), host, time);

-- The sightings' conflict target (V84); the consumer's upsert names the same expressions.
DROP INDEX file_names_sighting;
CREATE UNIQUE INDEX file_names_sighting
    ON file_names (host, fs, inode, path_key(path), op,
                   (date_trunc('hour', time AT TIME ZONE 'UTC')))
 WHERE op IN ('open', 'exec');

-- A symlink's target is a path too.
DROP INDEX was_derived_from_src_path;
CREATE INDEX was_derived_from_src_path ON was_derived_from (path_key(src_path));

DROP INDEX tracked_versions_path;
CREATE INDEX tracked_versions_path ON tracked_versions (path_key(path), version_time);

-- Rule state keys name files too (docs/rules.md, "State"); the consumer now stores a key over
-- 2,048 bytes as its path_key. A long key stored before (one that compressed enough) is moved to
-- that form, so that its action finds its state and does not start over.
UPDATE rule_state SET target = path_key(target) WHERE octet_length(target) > 2048;
