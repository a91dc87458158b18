package io.ursprung.backend.resources;

import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.FieldError;
import io.ursprung.backend.http.Params;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.lineage.NodeId;
import io.ursprung.db.query.ProcessSearch;
import io.ursprung.db.query.ProvenanceQueries;
import java.time.Instant;
import java.util.List;

/**
 * Processes: search ({@code GET /api/v1/processes}) and details ({@code GET
 * /api/v1/processes/{id}}).
 */
public final class ProcessResource {
  private final ProvenanceQueries queries;

  public ProcessResource(ProvenanceQueries queries) {
    this.queries = queries;
  }

  public void register(Routes routes) {
    routes.get(Backend.API + "/processes", Access.VIEWER, this::search);
    routes.get(Backend.API + "/processes/{id}", Access.VIEWER, this::details);
  }

  private void search(Context ctx) {
    Params p = new Params(ctx);
    String text = p.text("q", false, 1000);
    String user = p.text("user", false, 64);
    String host = p.host("host", false);
    Instant from = p.time("from", false);
    Instant to = p.time("to", false);
    Paging page = Paging.read(p, 50);
    if (from != null && to != null && !from.isBefore(to)) {
      p.error("to", "must be after from");
    }
    p.check();
    ctx.json(
        queries.searchProcesses(
            Backend.viewer(ctx),
            new ProcessSearch(text, user, host, from, to),
            page.offset(),
            page.limit()));
  }

  private void details(Context ctx) {
    NodeId id = FileResource.parse(ctx.pathParam("id"));
    if (!(id instanceof NodeId.Process proc)) {
      throw ApiException.badRequest(List.of(new FieldError("id", "must be a process id (p:...)")));
    }
    ctx.json(
        queries
            .process(Backend.viewer(ctx), proc)
            .orElseThrow(() -> ApiException.notFound("process")));
  }
}
