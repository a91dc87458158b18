package io.ursprung.rules;

import java.util.List;
import java.util.Objects;

/** Where an action's records go. */
public sealed interface Target {

  /**
   * Where the alias (for {@link Db}) or the path (for {@link File}) was written, for errors found
   * after parsing, such as an alias the configuration does not define.
   */
  Position position();

  /**
   * {@code INTO DB alias USING table/col1,col2}: rows into a table of a database the consumer's
   * configuration names {@code alias}. Rule files never hold connection strings or credentials.
   */
  record Db(String alias, String table, List<String> columns, Position position) implements Target {
    public Db {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(table, "table");
      columns = List.copyOf(columns);
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("at least one column");
      }
    }
  }

  /** {@code INTO FILE path}: one record per line, appended, on the consumer's host. */
  record File(String path, Position position) implements Target {
    public File {
      Objects.requireNonNull(path, "path");
    }
  }
}
