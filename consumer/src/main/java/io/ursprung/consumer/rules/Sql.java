package io.ursprung.consumer.rules;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * SQL identifiers that come from rule files. Values always travel as parameters; identifiers
 * cannot, so they are checked against a strict pattern and then quoted. They are folded to lower
 * case first, as PostgreSQL folds unquoted names, so {@code USING versions/commitId} finds the
 * column a plain {@code CREATE TABLE versions (commitId text)} made.
 */
final class Sql {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private Sql() {}

  /** {@code name} or {@code schema.name}, validated and quoted. */
  static String table(String table) {
    String[] parts = table.split("\\.", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException("table name " + table + " has more than one '.'");
    }
    StringBuilder out = new StringBuilder();
    for (String p : parts) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(identifier(p));
    }
    return out.toString();
  }

  /** One identifier, validated and quoted. */
  static String identifier(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid SQL identifier: '" + name + "'");
    }
    return '"' + name.toLowerCase(Locale.ROOT) + '"';
  }

  /** {@code INSERT INTO t (c1, c2) VALUES (?, ?)} for validated names. */
  static String insert(String table, List<String> columns) {
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(table(table)).append(" (");
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        sql.append(", ");
        values.append(", ");
      }
      sql.append(identifier(columns.get(i)));
      values.append('?');
    }
    return sql.append(") VALUES (").append(values).append(')').toString();
  }
}
