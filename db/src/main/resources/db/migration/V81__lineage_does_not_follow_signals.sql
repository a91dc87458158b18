-- Signals (wasInformedBy kind 'signal', from the auditd plugin's kill/tkill/tgkill: sender ->
-- target) are provenance, but no data travels with them: a lineage walk that followed them would
-- put a shell or a scheduler that sent SIGTERM into the data lineage of whatever its target wrote
-- afterwards. Like fork parentage, they are shown only by the one-hop neighbourhood (the walks'
-- via_fork mode) and in process details.
--
-- Both walks (lineage_graph, which the service runs, and lineage_walk, the reference it is
-- checked against) test the informant kind in the same two places, as written in V70 and V71:
-- the condition is rewritten in the stored definitions rather than repeating both function bodies
-- here, and the migration fails unless it found exactly those places.
DO $$
DECLARE
    fn   text;
    def  text;
    done text;
    old  constant text := $q$(via_fork OR w.kind <> 'fork')$q$;
    new  constant text := $q$(via_fork OR w.kind NOT IN ('fork', 'signal'))$q$;
BEGIN
    FOREACH fn IN ARRAY ARRAY['lineage_walk', 'lineage_graph'] LOOP
        IF (SELECT count(*) FROM pg_proc WHERE proname = fn) <> 1 THEN
            RAISE EXCEPTION 'V81: expected one function %', fn;
        END IF;
        SELECT pg_get_functiondef(oid) INTO def FROM pg_proc WHERE proname = fn;
        done := replace(def, old, new);
        IF (length(def) - length(replace(def, old, ''))) / length(old) <> 2 THEN
            RAISE EXCEPTION 'V81: % does not test the informant kind where V70/V71 did', fn;
        END IF;
        EXECUTE done;
    END LOOP;
END
$$;
