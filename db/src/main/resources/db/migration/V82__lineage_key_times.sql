-- Node times as the level-by-level lineage walk (io.ursprung.db.lineage.LevelWalk) passes them
-- between the database and the service: microseconds since the epoch, with -infinity and infinity
-- (a file version from before capture, an unbounded process) as the smallest and largest bigint.
-- Unlike lineage_us (V71), which gives NULL for both infinities, these keep the two apart, so that
-- a node's key survives the round trip and sorts the same on both sides.
--
-- Both are plain SQL and not STRICT, so the planner inlines them into the walk's statements
-- (an index condition such as version_time = lineage_key_ts($1[i]) stays an index condition).
-- The intervals have only a time part, so the sum does not depend on the session's time zone; the
-- microseconds are added apart from the seconds because an interval is multiplied in double
-- precision, which is exact only up to 2^53 (about the years 1685..2255 as microseconds).
CREATE FUNCTION lineage_key_us(t timestamptz) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN t = '-infinity' THEN -9223372036854775808
                WHEN t = 'infinity' THEN 9223372036854775807
                ELSE (extract(epoch FROM t) * 1000000)::bigint END
$$;

CREATE FUNCTION lineage_key_ts(us bigint) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN us = -9223372036854775808 THEN '-infinity'::timestamptz
                WHEN us = 9223372036854775807 THEN 'infinity'::timestamptz
                ELSE 'epoch'::timestamptz + (us / 1000000) * interval '1 second'
                     + (us % 1000000) * interval '1 microsecond' END
$$;
