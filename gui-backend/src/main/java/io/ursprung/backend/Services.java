package io.ursprung.backend;

import io.ursprung.db.auth.AuthService;
import io.ursprung.db.lineage.LineageService;
import io.ursprung.db.query.ProvenanceQueries;
import java.util.Objects;

/**
 * What the resources call: every answer comes from these services, never from SQL in a handler.
 *
 * @param auth logins, tokens and users
 * @param lineage lineage walks and neighbourhoods
 * @param queries search, details, runs, reproduce
 */
public record Services(AuthService auth, LineageService lineage, ProvenanceQueries queries) {
  public Services {
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(lineage, "lineage");
    Objects.requireNonNull(queries, "queries");
  }
}
