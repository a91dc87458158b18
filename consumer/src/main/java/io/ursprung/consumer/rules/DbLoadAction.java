package io.ursprung.consumer.rules;

import io.ursprung.rules.Action;
import io.ursprung.rules.Rule;
import io.ursprung.rules.Target;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DBLOAD field INTO target}: loads the CSV file named by an event field, on the consumer's
 * host.
 *
 * <p>Record: {@code path, time} (the file's path and the event's time), then the file's cells. The
 * first line is the header and is not loaded; when the target is a database and the header names
 * every column after the first two (case and underscores ignored), cells are taken by name, so the
 * file's column order does not matter; otherwise by position. A row with a different number of
 * cells is skipped and logged.
 *
 * <p>State: one {@code rule_state} row per loaded file version, key {@code dbload:<path>@<SHA-256
 * of the content>}, committed with the rows: loading the same content again changes nothing.
 */
final class DbLoadAction {
  private static final Logger LOG = LoggerFactory.getLogger(DbLoadAction.class);

  private final Outputs outputs;

  DbLoadAction(Outputs outputs) {
    this.outputs = outputs;
  }

  void run(Rule rule, Action.DbLoad a, WorkItem item) throws Exception {
    String path = item.text(a.field());
    if (path == null || path.isEmpty()) {
      throw new PermanentException("the event has no field '" + a.field() + "'");
    }
    Path file = Path.of(path);
    String hash;
    try {
      hash = sha256(file);
    } catch (NoSuchFileException e) {
      throw new PermanentException(path + " no longer exists");
    }
    String key = "dbload:" + path + "@" + hash;
    String ruleId = rule.id().hex();
    outputs.run(
        a.target(),
        item,
        u -> {
          if (u.state(ruleId, "DBLOAD", key) != null) {
            LOG.debug("{} version {} was loaded before", path, hash);
            return null;
          }
          long[] counts = load(file, path, item.text("time"), a.target(), u);
          u.setState(ruleId, "DBLOAD", key, "rows=" + counts[0] + " skipped=" + counts[1]);
          LOG.info("DBLOAD {}: {} rows, {} skipped", path, counts[0], counts[1]);
          return null;
        });
  }

  private static long[] load(Path file, String path, String time, Target target, Outputs.Unit u)
      throws Exception {
    long rows = 0;
    long skipped = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Csv csv = new Csv(r);
      List<String> header = csv.next();
      if (header == null) {
        return new long[] {0, 0};
      }
      int[] byName = byName(header, target);
      int expected = byName != null ? byName.length : header.size();
      int line = 1;
      for (List<String> cells = csv.next(); cells != null; cells = csv.next()) {
        line++;
        if (cells.size() == 1 && cells.get(0).isEmpty()) {
          continue; // blank line
        }
        if (cells.size() != header.size()) {
          skipped++;
          LOG.warn(
              "DBLOAD {}: record {} has {} cells, the header {}", path, line, cells.size(), header);
          continue;
        }
        List<String> record = new ArrayList<>(2 + expected);
        record.add(path);
        record.add(time);
        if (byName != null) {
          for (int i : byName) {
            record.add(cells.get(i));
          }
        } else {
          record.addAll(cells);
        }
        u.emit(record);
        rows++;
      }
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("unterminated")) {
        throw new PermanentException(path + ": " + e.getMessage(), e);
      }
      throw e;
    }
    return new long[] {rows, skipped};
  }

  /** Header positions of the target's columns after path and time, or null to go by position. */
  static int[] byName(List<String> header, Target target) {
    if (!(target instanceof Target.Db d) || d.columns().size() < 3) {
      return null;
    }
    List<String> names = header.stream().map(h -> Outputs.Unit.normal(h.strip())).toList();
    List<String> wanted = d.columns().subList(2, d.columns().size());
    int[] at = new int[wanted.size()];
    for (int i = 0; i < wanted.size(); i++) {
      at[i] = names.indexOf(Outputs.Unit.normal(wanted.get(i)));
      if (at[i] < 0) {
        return null;
      }
    }
    return at;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[65536];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
