package io.ursprung.testkit;

import io.ursprung.db.Database;
import javax.sql.DataSource;

/**
 * A fresh PostgreSQL database with Ursprung's schema, private to one test class.
 *
 * @param jdbcUrl its JDBC URL
 * @param user the user tests connect as
 * @param password the password, or null
 * @param database a pool on it
 */
public record TestDatabase(String jdbcUrl, String user, String password, Database database) {

  /** The pool. */
  public DataSource dataSource() {
    return database.dataSource();
  }
}
