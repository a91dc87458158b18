package io.ursprung.backend.resources;

import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.FieldError;
import io.ursprung.backend.http.Params;
import io.ursprung.backend.http.Routes;
import io.ursprung.db.rules.TrackedContent;
import io.ursprung.db.rules.TrackedVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  private void versions(Context ctx) {
    Params p = new Params(ctx);
    String path = p.absolutePath("path", true);
    p.check();
    ctx.json(
        Map.of(
            "items", StoreCalls.run("tracked version query", () -> store().versionsByPath(path))));
  }

  private void content(Context ctx) {
    Params p = new Params(ctx);
    String host = p.host("host", true);
    String version = p.text("version", true, 512);
    p.check();
    TrackedVersion v =
        version(host, version).orElseThrow(() -> ApiException.notFound("tracked version"));
    byte[] content =
        StoreCalls.run(
            "tracked content",
            () -> {
              try {
                return store().content(v, MAX_BYTES);
              } catch (TrackedContent.TooLargeException e) {
                throw new ApiException(413, "the version is larger than " + MAX_BYTES + " bytes");
              }
            });
    ctx.contentType("application/octet-stream").result(content);
  }

  private void diff(Context ctx) {
    Params p = new Params(ctx);
    String host = p.host("host", true);
    String from = p.text("from", true, 512);
    String to = p.text("to", true, 512);
    p.check();
    TrackedVersion a =
        version(host, from).orElseThrow(() -> ApiException.notFound("tracked version " + from));
    TrackedVersion b =
        version(host, to).orElseThrow(() -> ApiException.notFound("tracked version " + to));
    // The condition diff() refuses with an IllegalArgumentException (a 500 if it got there),
    // checked here so that the client is told which parameter is wrong. Not done by catching that
    // exception: jgit throws subclasses of it for damaged stored data, which is no client error.
    if (!a.repository().equals(b.repository()) || !a.repoPath().equals(b.repoPath())) {
      throw ApiException.badRequest(
          List.of(
              new FieldError(
                  "to",
                  "is a version of a different file than from: a diff compares versions of one"
                      + " file")));
    }
    ctx.contentType("text/x-diff; charset=utf-8")
        .result(StoreCalls.run("tracked diff", () -> store().diff(a, b)));
  }

  private Optional<TrackedVersion> version(String host, String eventId) {
    return StoreCalls.run("tracked version query", () -> store().version(host, eventId));
  }
}
