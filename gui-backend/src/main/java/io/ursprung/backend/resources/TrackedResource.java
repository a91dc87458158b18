package io.ursprung.backend.resources;

import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.Params;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.rules.TrackedContent;
import io.ursprung.db.rules.TrackedVersion;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

/**
 * Content of files versioned by TRACK rules: {@code GET /api/v1/tracked?path=} lists the versions
 * of a path, {@code GET /api/v1/tracked/content?host=&version=} returns one version's content and
 * {@code GET /api/v1/tracked/diff?host=&from=&to=} a unified diff between two versions (a version
 * is named by the event id of its write-close). Admins only for now: file content is more sensitive
 * than provenance, and per-user checks of content are not built yet.
 */
public final class TrackedResource {
  /** Largest content returned in one answer. */
  static final long MAX_BYTES = 4L << 20;

  private final TrackedContent tracked;

  /** Over the store's tracked content, or null where there is none (answers 503). */
  public TrackedResource(TrackedContent tracked) {
    this.tracked = tracked;
  }

  public void register(Routes routes) {
    routes.get(Backend.API + "/tracked", Access.ADMIN, this::versions);
    routes.get(Backend.API + "/tracked/content", Access.ADMIN, this::content);
    routes.get(Backend.API + "/tracked/diff", Access.ADMIN, this::diff);
  }

  private TrackedContent store() {
    if (tracked == null) {
      throw new ApiException(503, "tracked content is not available on this server");
    }
    return tracked;
  }

  private void versions(Context ctx) throws SQLException {
    Params p = new Params(ctx);
    String path = p.absolutePath("path", true);
    p.check();
    ctx.json(Map.of("items", store().versionsByPath(path)));
  }

  private void content(Context ctx) throws SQLException, IOException {
    Params p = new Params(ctx);
    String host = p.host("host", true);
    String version = p.text("version", true, 512);
    p.check();
    TrackedVersion v =
        store().version(host, version).orElseThrow(() -> ApiException.notFound("tracked version"));
    byte[] content;
    try {
      content = store().content(v, MAX_BYTES);
    } catch (TrackedContent.TooLargeException e) {
      throw new ApiException(413, "the version is larger than " + MAX_BYTES + " bytes");
    }
    ctx.contentType("application/octet-stream").result(content);
  }

  private void diff(Context ctx) throws SQLException, IOException {
    Params p = new Params(ctx);
    String host = p.host("host", true);
    String from = p.text("from", true, 512);
    String to = p.text("to", true, 512);
    p.check();
    TrackedVersion a =
        store()
            .version(host, from)
            .orElseThrow(() -> ApiException.notFound("tracked version " + from));
    TrackedVersion b =
        store().version(host, to).orElseThrow(() -> ApiException.notFound("tracked version " + to));
    ctx.contentType("text/x-diff; charset=utf-8").result(store().diff(a, b));
  }
}
