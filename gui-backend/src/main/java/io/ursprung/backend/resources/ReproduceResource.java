package io.ursprung.backend.resources;

import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.Params;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.query.ProvenanceQueries;
import io.ursprung.db.query.ReproducePlan;

/**
 * {@code GET /api/v1/reproduce?path=&host=}: the commands that led to a file, in order, and a shell
 * script re-running them. {@code format=script} returns the script alone as text. The server builds
 * the script as text and never runs it.
 */
public final class ReproduceResource {
  private final ProvenanceQueries queries;

  public ReproduceResource(ProvenanceQueries queries) {
    this.queries = queries;
  }

  public void register(Routes routes) {
    routes.get(Backend.API + "/reproduce", Access.VIEWER, this::reproduce);
  }

  private void reproduce(Context ctx) {
    Params p = new Params(ctx);
    String path = p.absolutePath("path", true);
    String host = p.host("host", true);
    String format = p.oneOf("format", "json", "json", "script");
    p.check();
    ReproducePlan plan =
        queries
            .reproduce(Backend.viewer(ctx), host, path)
            .orElseThrow(() -> ApiException.notFound("file"));
    if (format.equals("script")) {
      ctx.contentType("text/x-shellscript; charset=utf-8").result(plan.script());
    } else {
      ctx.json(plan);
    }
  }
}
