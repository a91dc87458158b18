package io.ursprung.backend.resources;

import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.Params;
import io.ursprung.backend.http.Routes;
import io.ursprung.backend.prov.ProvJson;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.lineage.LineageService;
import io.ursprung.db.lineage.NodeId;

/**
 * {@code GET /api/v1/neighbourhood?node=}: everything one edge away from a node, both directions,
 * paged; the GUI's expand-on-click. {@code truncated} says another page follows.
 */
public final class NeighbourhoodResource {
  private final LineageService lineage;

  public NeighbourhoodResource(LineageService lineage) {
    this.lineage = lineage;
  }

  public void register(Routes routes) {
    routes.get(Backend.API + "/neighbourhood", Access.VIEWER, this::neighbourhood);
  }

  private void neighbourhood(Context ctx) {
    Params p = new Params(ctx);
    NodeId node = p.node("node", true);
    Paging page = Paging.read(p, 100);
    String format = p.oneOf("format", "json", "json", "prov");
    p.check();
    LineageGraph g =
        lineage
            .neighbourhood(Backend.viewer(ctx), node, page.offset(), page.limit())
            .orElseThrow(() -> ApiException.notFound("node"));
    if (format.equals("prov")) {
      ctx.json(ProvJson.of(g));
    } else {
      ctx.json(g);
    }
  }
}
