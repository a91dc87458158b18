-- The path history keeps a name in use once an hour, not once per open.
--
-- file_names had a row for every open and exec: the largest table the consumer wrote (two thirds
-- of the bulk capture's events are opens, mostly of the same few files), about a third of the
-- time of a raw COPY of a batch (docs/performance.md), and a history of a shared library listed
-- thousands of identical names. The opens are edges already (used, with the path); what the
-- history is for is which names an inode had, and when.
--
-- Now: rows that make, change or end a name (create, rename-from/-to, link, symlink, unlink,
-- mkdir, rmdir) are all kept as before. Of the opens and execs of one file under one path, the
-- earliest of each UTC hour is kept (ties: the smaller event id, byte order), enforced by the
-- partial unique index below, which the consumer's upsert names as its conflict target. Keeping one
-- an hour, not one ever, keeps the name an inode had at any time known to the hour even when the
-- change itself was not seen (an inode reused by a file made before capture began, a rename on an
-- unwatched node).

DELETE FROM file_names n
 USING (SELECT ctid,
               row_number() OVER (
                 PARTITION BY host, fs, inode, path, op,
                              date_trunc('hour', time AT TIME ZONE 'UTC')
                 ORDER BY time, event_id COLLATE "C") AS rank
          FROM file_names
         WHERE op IN ('open', 'exec')) d
 WHERE n.ctid = d.ctid AND d.rank > 1;

CREATE UNIQUE INDEX file_names_sighting
    ON file_names (host, fs, inode, path, op, (date_trunc('hour', time AT TIME ZONE 'UTC')))
 WHERE op IN ('open', 'exec');
