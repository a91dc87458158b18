package io.ursprung.backend;

import io.ursprung.db.auth.AuthService;
import io.ursprung.db.lineage.LineageService;
import io.ursprung.db.query.ProvenanceQueries;
import io.ursprung.db.rules.AlertQueries;
import io.ursprung.db.rules.TrackedContent;
import java.util.Objects;

/**
 * What the resources call: every answer comes from these services, never from SQL in a handler.
 *
 * @param auth logins, tokens and users
 * @param lineage lineage walks and neighbourhoods
 * @param queries search, details, runs, reproduce
 * @param alerts alerts recorded by ALERT rules, or null where the store has none (test fakes)
 * @param tracked content of files versioned by TRACK rules, or null where there is none
 */
public record Services(
    AuthService auth,
    LineageService lineage,
    ProvenanceQueries queries,
    AlertQueries alerts,
    TrackedContent tracked) {
  public Services {
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(lineage, "lineage");
    Objects.requireNonNull(queries, "queries");
  }

  /** Services without the rule outputs (alerts, tracked content). */
  public Services(AuthService auth, LineageService lineage, ProvenanceQueries queries) {
    this(auth, lineage, queries, null, null);
  }
}
