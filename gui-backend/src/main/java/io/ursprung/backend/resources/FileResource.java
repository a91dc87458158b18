package io.ursprung.backend.resources;

import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.FieldError;
import io.ursprung.backend.http.Params;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.lineage.NodeId;
import io.ursprung.db.query.ProvenanceQueries;
import java.util.List;

/** Files: search ({@code GET /api/v1/files}) and details ({@code GET /api/v1/files/{id}}). */
public final class FileResource {
  private final ProvenanceQueries queries;

  public FileResource(ProvenanceQueries queries) {
    this.queries = queries;
  }

  public void register(Routes routes) {
    routes.get(Backend.API + "/files", Access.VIEWER, this::search);
    routes.get(Backend.API + "/files/{id}", Access.VIEWER, this::details);
  }

  private void search(Context ctx) {
    Params p = new Params(ctx);
    String prefix = p.text("path", false, Params.MAX_PATH);
    String glob = p.text("glob", false, Params.MAX_PATH);
    String host = p.host("host", false);
    Paging page = Paging.read(p, 50);
    if (prefix == null && glob == null) {
      p.error("path", "give a path prefix (path) or a glob (glob)");
    } else if (prefix != null && glob != null) {
      p.error("glob", "give either path or glob, not both");
    }
    p.check();
    ctx.json(
        queries.searchFiles(
            Backend.viewer(ctx),
            glob != null ? glob : prefix,
            glob != null,
            host,
            page.offset(),
            page.limit()));
  }

  private void details(Context ctx) {
    NodeId id = parse(ctx.pathParam("id"));
    if (!(id instanceof NodeId.FileVersion f)) {
      throw ApiException.badRequest(List.of(new FieldError("id", "must be a file id (f:...)")));
    }
    ctx.json(queries.file(Backend.viewer(ctx), f).orElseThrow(() -> ApiException.notFound("file")));
  }

  static NodeId parse(String text) {
    try {
      return Params.parseNode(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(List.of(new FieldError("id", e.getMessage())));
    }
  }
}
