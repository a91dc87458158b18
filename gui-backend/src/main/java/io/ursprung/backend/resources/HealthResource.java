package io.ursprung.backend.resources;

import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.Routes;
import io.ursprung.events.UrsprungVersion;
import java.util.Map;

/** {@code GET /api/v1/health}: unauthenticated liveness for load balancers and scripts. */
public final class HealthResource {
  public void register(Routes routes) {
    routes.get(
        Backend.API + "/health",
        Access.PUBLIC,
        ctx -> ctx.json(Map.of("status", "up", "version", UrsprungVersion.get())));
  }
}
