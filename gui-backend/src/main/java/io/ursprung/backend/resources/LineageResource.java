package io.ursprung.backend.resources;

import io.javalin.http.Context;
import io.ursprung.backend.Backend;
import io.ursprung.backend.BackendConfig;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.Params;
import io.ursprung.backend.http.Routes;
import io.ursprung.backend.prov.ProvJson;
import io.ursprung.db.lineage.Direction;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.lineage.LineageService;
import io.ursprung.db.lineage.NodeId;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code GET /api/v1/lineage}: upstream or downstream lineage of a file (path and host), a process
 * (processId, or host, pid and start) or any node (nodeId), as {@code {nodes, edges}} or PROV-JSON.
 */
public final class LineageResource {

  /** Depth when none is given. */
  static final int DEFAULT_DEPTH = 10;

  /** Node limit when none is given. */
  static final int DEFAULT_LIMIT = 1000;

  private final LineageService lineage;
  private final BackendConfig config;

  public LineageResource(LineageService lineage, BackendConfig config) {
    this.lineage = lineage;
    this.config = config;
  }

  public void register(Routes routes) {
    routes.get(Backend.API + "/lineage", Access.VIEWER, this::lineage);
  }

  private void lineage(Context ctx) {
    Params p = new Params(ctx);
    String path = p.absolutePath("path", false);
    String host = p.host("host", false);
    NodeId processId = p.node("processId", false);
    NodeId nodeId = p.node("nodeId", false);
    Integer pid = p.integer("pid", null, 0, Integer.MAX_VALUE);
    Instant start = p.time("start", false);
    Integer version = p.integer("version", null, 0, Integer.MAX_VALUE);
    String direction = p.oneOf("direction", "upstream", "upstream", "downstream");
    int depth = p.integer("depth", DEFAULT_DEPTH, 1, config.maxDepth());
    int limit =
        p.integer("limit", Math.min(DEFAULT_LIMIT, config.maxLimit()), 1, config.maxLimit());
    String format = p.oneOf("format", "json", "json", "prov");

    int ways = 0;
    ways += p.has("path") ? 1 : 0;
    ways += p.has("processId") ? 1 : 0;
    ways += p.has("nodeId") ? 1 : 0;
    ways += p.has("pid") || p.has("start") ? 1 : 0;
    if (ways == 0) {
      p.error("path", "give path and host, processId, host with pid and start, or nodeId");
    } else if (ways > 1) {
      p.error("nodeId", "give only one of path, processId, pid/start, nodeId");
    }
    if ((p.has("path") || p.has("pid") || p.has("start")) && !p.has("host")) {
      p.error("host", "is required with path or pid");
    }
    if (p.has("pid") != p.has("start")) {
      p.error(p.has("pid") ? "start" : "pid", "pid and start go together");
    }
    if (processId != null && !processId.isProcess()) {
      p.error("processId", "must be a process id (p:...)");
    }
    NodeId byPid = null;
    if (ways == 1 && host != null && pid != null && start != null) {
      byPid = new NodeId.Process(host, pid, start);
    }
    p.check();

    Direction dir = direction.equals("upstream") ? Direction.UPSTREAM : Direction.DOWNSTREAM;
    Optional<LineageGraph> graph;
    if (path != null) {
      graph = lineage.fromFile(Backend.viewer(ctx), host, path, version, dir, depth, limit);
    } else {
      NodeId start0 = processId != null ? processId : nodeId != null ? nodeId : byPid;
      graph = lineage.fromNode(Backend.viewer(ctx), start0, dir, depth, limit);
    }
    LineageGraph g = graph.orElseThrow(() -> ApiException.notFound("start node"));
    if (format.equals("prov")) {
      ctx.json(ProvJson.of(g));
    } else {
      ctx.json(g);
    }
  }
}
