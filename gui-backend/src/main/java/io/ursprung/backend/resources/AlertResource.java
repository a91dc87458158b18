package io.ursprung.backend.resources;

import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.Params;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.rules.AlertQueries;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /api/v1/alerts?since=&host=&offset=&limit=}: what ALERT rules recorded, newest first.
 * Admins only: an alert names hosts, users and paths across all users.
 */
public final class AlertResource {
  private final AlertQueries alerts;

  /** Over the store's alerts, or null where there are none (answers 503). */
  public AlertResource(AlertQueries alerts) {
    this.alerts = alerts;
  }

  public void register(Routes routes) {
    routes.get(Backend.API + "/alerts", Access.ADMIN, this::list);
  }

  private void list(Context ctx) {
    Params p = new Params(ctx);
    Instant since = p.time("since", false);
    String host = p.host("host", false);
    Paging paging = Paging.read(p, 100);
    p.check();
    if (alerts == null) {
      throw new ApiException(503, "alerts are not available on this server");
    }
    ctx.json(
        Map.of(
            "items",
            StoreCalls.run(
                "alert query", () -> alerts.list(since, host, paging.limit(), paging.offset())),
            "offset",
            paging.offset(),
            "limit",
            paging.limit()));
  }
}
