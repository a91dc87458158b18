package io.ursprung.backend.resources;

import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.Params;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.query.ProvenanceQueries;
import java.time.Instant;
import java.util.List;

/**
 * Runs: {@code GET /api/v1/runs} lists pipeline executions; {@code GET
 * /api/v1/runs/compare?ids=a,b,...} compares 2 to 20 of them.
 */
public final class RunResource {

  /** Most runs compared at once. */
  static final int MAX_COMPARED = 20;

  private final ProvenanceQueries queries;

  public RunResource(ProvenanceQueries queries) {
    this.queries = queries;
  }

  public void register(Routes routes) {
    routes.get(Backend.API + "/runs", Access.VIEWER, this::list);
    routes.get(Backend.API + "/runs/compare", Access.VIEWER, this::compare);
  }

  private void list(Context ctx) {
    Params p = new Params(ctx);
    String user = p.text("user", false, 64);
    String host = p.host("host", false);
    Instant from = p.time("from", false);
    Instant to = p.time("to", false);
    Paging page = Paging.read(p, 50);
    p.check();
    ctx.json(queries.runs(Backend.viewer(ctx), user, host, from, to, page.offset(), page.limit()));
  }

  private void compare(Context ctx) {
    Params p = new Params(ctx);
    List<String> ids = p.list("ids", true, MAX_COMPARED);
    if (!ids.isEmpty() && ids.size() < 2) {
      p.error("ids", "compare at least 2 runs");
    }
    for (String id : ids) {
      if (id.startsWith("job:")) {
        if (id.length() > 256) {
          p.error("ids", "a job id has at most 252 characters");
        }
        continue;
      }
      try {
        if (!Params.parseNode(id).isProcess()) {
          p.error("ids", "a run id is a process id (p:...) or job:<id>: " + id);
        }
      } catch (IllegalArgumentException e) {
        p.error("ids", "a run id is a process id (p:...) or job:<id>: " + e.getMessage());
      }
    }
    p.check();
    ctx.json(
        queries
            .compareRuns(Backend.viewer(ctx), ids)
            .orElseThrow(() -> ApiException.notFound("run")));
  }
}
