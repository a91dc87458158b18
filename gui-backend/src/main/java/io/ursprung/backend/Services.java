package io.ursprung.backend;

import io.ursprung.db.auth.AuthService;
import io.ursprung.db.lineage.LineageService;
import io.ursprung.db.query.ProvenanceQueries;
import io.ursprung.db.rules.AlertQueries;
import io.ursprung.db.rules.TrackedContent;
import io.ursprung.db.status.IngestStatus;
import java.util.Objects;

/**
 * What the resources call: every answer comes from these services, never from SQL in a handler.
 *
 * @param auth logins, tokens and users
 * @param lineage lineage walks and neighbourhoods
 * @param queries search, details, runs, reproduce
 * @param alerts alerts recorded by ALERT rules, or null where the store has none (test fakes)
 * @param tracked content of files versioned by TRACK rules, or null where there is none
 * @param status ingest status (consumer instances, host reports) for the metrics, or null
 */
public record Services(
    AuthService auth,
    LineageService lineage,
    ProvenanceQueries queries,
    AlertQueries alerts,
    TrackedContent tracked,
    IngestStatus status) {
  public Services {
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(lineage, "lineage");
    Objects.requireNonNull(queries, "queries");
  }

  /** Services without the rule outputs (alerts, tracked content). */
  public Services(AuthService auth, LineageService lineage, ProvenanceQueries queries) {
    this(auth, lineage, queries, null, null, null);
  }

  /** Services without the ingest status. */
  public Services(
      AuthService auth,
      LineageService lineage,
      ProvenanceQueries queries,
      AlertQueries alerts,
      TrackedContent tracked) {
    this(auth, lineage, queries, alerts, tracked, null);
  }
}
