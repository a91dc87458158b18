package io.ursprung.consumer.rules;

import io.ursprung.rules.Action;
import io.ursprung.rules.LineExtractor;
import io.ursprung.rules.Rule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LOGLOAD field MATCH regex FIELDS specs DELIM d INTO target}: the lines appended to the log
 * named by an event field since the last run; those in which {@code regex} occurs become records
 * through {@link LineExtractor} (one value per spec; a line too short for the specs is skipped and
 * counted).
 *
 * <p>State: {@code rule_state} key {@code logload:<path>}, {@code offset=<bytes> inode=<inode>}, in
 * the target's database (the store for files), committed with the records. Partial last lines are
 * not consumed (the offset stays before them). When the path has a new inode (rotation), the rest
 * of the old file is read first if it is still in the same directory under another name (found by
 * its inode); then the new file from 0. A file shorter than the offset was truncated in place and
 * is read from 0.
 */
final class LogLoadAction {
  private static final Logger LOG = LoggerFactory.getLogger(LogLoadAction.class);

  private final Outputs outputs;

  LogLoadAction(Outputs outputs) {
    this.outputs = outputs;
  }

  void run(Rule rule, Action.LogLoad a, WorkItem item) throws Exception {
    String path = item.text(a.field());
    if (path == null || path.isEmpty()) {
      throw new PermanentException("the event has no field '" + a.field() + "'");
    }
    Path file = Path.of(path);
    String key = "logload:" + path;
    String ruleId = rule.id().hex();
    outputs.run(
        a.target(),
        item,
        u -> {
          LogReader.Position st = LogReader.Position.parse(u.state(ruleId, "LOGLOAD", key));
          long[] counts = new long[2];
          LogReader.LineSink sink =
              line -> {
                if (!a.match().occursIn(line)) {
                  return;
                }
                try {
                  u.emit(
                      LineExtractor.extract(line, a.delimiter(), a.fields(), item.eventFields()));
                  counts[0]++;
                } catch (LineExtractor.MismatchException e) {
                  counts[1]++;
                  LOG.debug("LOGLOAD {}: skipped '{}': {}", path, line, e.getMessage());
                }
              };
          Long inode = LogReader.inode(file);
          long offset = st == null ? 0 : st.offset();
          if (st != null && st.inode() >= 0 && (inode == null || inode != st.inode())) {
            Path old = LogReader.findByInode(file.getParent(), st.inode());
            if (old != null) {
              LOG.info("LOGLOAD {}: rotated; reading the rest of {} first", path, old);
              LogReader.read(old, st.offset(), true, sink);
            } else {
              LOG.warn(
                  "LOGLOAD {}: rotated and the old file (inode {}) is gone; its unread tail is"
                      + " lost",
                  path,
                  st.inode());
            }
            offset = 0;
          }
          long next = offset;
          if (inode != null) {
            if (Files.size(file) < offset) {
              LOG.info("LOGLOAD {}: shorter than the {} bytes read; reading from 0", path, offset);
              offset = 0;
            }
            next = LogReader.read(file, offset, false, sink);
          }
          u.setState(
              ruleId,
              "LOGLOAD",
              key,
              new LogReader.Position(next, inode == null ? -1 : inode).format());
          if (counts[1] > 0) {
            LOG.warn("LOGLOAD {}: {} matching lines did not fit the field specs", path, counts[1]);
          }
          return null;
        });
  }
}
