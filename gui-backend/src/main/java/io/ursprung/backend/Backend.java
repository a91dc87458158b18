package io.ursprung.backend;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import io.ursprung.backend.http.Access;
import io.ursprung.backend.http.ApiError;
import io.ursprung.backend.http.ApiException;
import io.ursprung.backend.http.LoginLimiter;
import io.ursprung.backend.http.Metrics;
import io.ursprung.backend.http.Route;
import io.ursprung.backend.http.Routes;
import io.ursprung.backend.resources.AlertResource;
import io.ursprung.backend.resources.FileResource;
import io.ursprung.backend.resources.HealthResource;
import io.ursprung.backend.resources.LineageResource;
import io.ursprung.backend.resources.MetricsResource;
import io.ursprung.backend.resources.NeighbourhoodResource;
import io.ursprung.backend.resources.ProcessResource;
import io.ursprung.backend.resources.ReproduceResource;
import io.ursprung.backend.resources.RunResource;
import io.ursprung.backend.resources.SessionResource;
import io.ursprung.backend.resources.TrackedResource;
import io.ursprung.backend.resources.UserResource;
import io.ursprung.db.Database;
import io.ursprung.db.auth.JdbcAuthService;
import io.ursprung.db.auth.PasswordHasher;
import io.ursprung.db.auth.Viewer;
import io.ursprung.db.lineage.GraphCache;
import io.ursprung.db.lineage.JdbcLineageService;
import io.ursprung.db.query.JdbcProvenanceQueries;
import io.ursprung.db.query.StoreException;
import io.ursprung.db.rules.AlertQueries;
import io.ursprung.db.rules.TrackedContent;
import io.ursprung.db.status.IngestStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API server. {@link #open} starts it over the store; {@link #create} assembles it over
 * any {@link Services} (tests use in-memory fakes). The all-in-one master calls {@link #open} with
 * {@link BackendConfig#serveGui()} set, so that the GUI and the API share one port.
 */
public final class Backend implements AutoCloseable {

  /** Prefix of every API route. */
  public static final String API = "/api/v1";

  private static final Logger LOG = LoggerFactory.getLogger(Backend.class);
  private static final String VIEWER = "ursprung.viewer";
  private static final String STARTED = "ursprung.started";

  private final Javalin app;
  private final Routes routes;
  private final BackendConfig config;
  private final Database database;
  private final GraphCache cache;

  private Backend(
      Javalin app, Routes routes, BackendConfig config, Database database, GraphCache cache) {
    this.app = app;
    this.routes = routes;
    this.config = config;
    this.database = database;
    this.cache = cache;
  }

  /**
   * Opens the store (applying migrations), sets the admin token when configured, and starts
   * listening.
   */
  public static Backend open(BackendConfig config) {
    Database db =
        Database.open(
            config.jdbcUrl(),
            config.jdbcUser(),
            config.jdbcPassword().isEmpty() ? null : config.jdbcPassword(),
            "ursprung-backend",
            config.poolSize());
    GraphCache cache = null;
    try {
      db.migrate();
      JdbcLineageService lineage = new JdbcLineageService(db.dataSource());
      if (config.lineageCache()) {
        cache =
            new GraphCache(
                    config.jdbcUrl(),
                    config.jdbcUser(),
                    config.jdbcPassword(),
                    config.lineageCacheWait())
                .start();
        lineage.withCache(cache);
      }
      Services services =
          new Services(
              new JdbcAuthService(
                  db.dataSource(),
                  new PasswordHasher(config.passwordIterations()),
                  config.sessionTtl(),
                  Clock.systemUTC()),
              lineage,
              new JdbcProvenanceQueries(db.dataSource(), lineage),
              new AlertQueries(db.dataSource()),
              new TrackedContent(db.dataSource()),
              new IngestStatus(db.dataSource()));
      if (!config.adminToken().isEmpty()) {
        services.auth().setAdminToken(config.adminToken());
      }
      Backend b = build(config, services, Clock.systemUTC(), db, cache);
      b.start();
      return b;
    } catch (RuntimeException e) {
      if (cache != null) {
        cache.close();
      }
      db.close();
      throw e;
    }
  }

  /** Assembles a server over {@code services} without starting it. */
  public static Backend create(BackendConfig config, Services services, Clock clock) {
    return build(config, services, clock, null, null);
  }

  /** A JSON mapper with ISO-8601 times, shared by the server and its tests. */
  public static ObjectMapper mapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  private static Backend build(
      BackendConfig config, Services services, Clock clock, Database database, GraphCache cache) {
    ObjectMapper mapper = mapper();
    Metrics metrics = new Metrics();
    LoginLimiter limiter =
        new LoginLimiter(
            config.loginAttemptsPerAddress(),
            config.loginFailuresPerUser(),
            config.loginWindow(),
            clock);
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.jsonMapper(new JavalinJackson(mapper, false));
              cfg.http.maxRequestSize = 64 * 1024;
              // CORS is answered by cors() below, not by Javalin's plugin: the plugin also
              // refused the GUI's own scripts when the page was opened under any other name
              // than the configured origin (http://master:3000 instead of localhost).
              if (config.serveGui()) {
                cfg.staticFiles.add(
                    sf -> {
                      sf.hostedPath = "/";
                      sf.directory = "/public";
                      sf.location = Location.CLASSPATH;
                    });
                // Browser routes of the single-page app get index.html; API paths never do.
                cfg.spaRoot.addFile("/", "/public/index.html", Location.CLASSPATH);
              }
            });
    Routes routes = new Routes(app);

    app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    app.before(ctx -> cors(ctx, config.corsOrigins()));
    // Browsers ask before a cross-origin call with a bearer token; cors() has answered already.
    app.options(API + "/*", ctx -> ctx.status(204), Access.PUBLIC);
    app.beforeMatched(ctx -> authorize(ctx, services));
    app.after(
        ctx -> {
          Long started = ctx.attribute(STARTED);
          if (started != null && ctx.path().startsWith(API)) {
            String route = ctx.endpointHandlerPath();
            metrics.record(
                ctx.method().name(),
                route == null || route.equals("*") ? "unmatched" : route,
                ctx.statusCode(),
                System.nanoTime() - started);
          }
        });

    app.exception(ApiException.class, (e, ctx) -> respond(ctx, e.body()));
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> respond(ctx, new ApiError(e.getStatus(), e.getMessage(), List.of())));
    app.exception(
        StoreException.class,
        (e, ctx) -> {
          LOG.error("store error on {} {}", ctx.method(), ctx.path(), e);
          respond(ctx, new ApiError(503, "the provenance store is unavailable", List.of()));
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          // Bad input is answered by the handlers with 4xx; anything reaching here is our bug.
          LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
          respond(ctx, new ApiError(500, "internal error", List.of()));
        });
    app.error(
        404,
        ctx -> {
          if (ctx.path().startsWith(API) && ctx.result() == null) {
            respond(ctx, new ApiError(404, "no such endpoint: " + ctx.path(), List.of()));
          }
        });
    app.error(
        405,
        ctx -> {
          if (ctx.result() == null) {
            respond(ctx, new ApiError(405, "method not allowed", List.of()));
          }
        });

    new HealthResource().register(routes);
    new MetricsResource(metrics, services.status(), clock, cache).register(routes);
    new SessionResource(services.auth(), limiter, mapper).register(routes);
    new UserResource(services.auth(), mapper).register(routes);
    new FileResource(services.queries()).register(routes);
    new ProcessResource(services.queries()).register(routes);
    new LineageResource(services.lineage(), config).register(routes);
    new NeighbourhoodResource(services.lineage()).register(routes);
    new ReproduceResource(services.queries()).register(routes);
    new RunResource(services.queries()).register(routes);
    new io.ursprung.backend.resources.JobResource(services.queries().jobs()).register(routes);
    new AlertResource(services.alerts()).register(routes);
    new TrackedResource(services.tracked()).register(routes);
    return new Backend(app, routes, config, database, cache);
  }

  /**
   * CORS for the API: a browser page may call it from its own origin (the GUI served on this port,
   * under whatever name the user typed) or from one of the configured origins; any other origin
   * gets no CORS headers, so the browser keeps the answer from that page. Nothing is refused on the
   * server side: CORS protects browsers' users, authentication protects the data.
   */
  static void cors(Context ctx, List<String> allowed) {
    String origin = ctx.header("Origin");
    if (origin == null || !ctx.path().startsWith(API)) {
      return;
    }
    boolean sameOrigin = origin.equals(ctx.scheme() + "://" + ctx.host());
    if (!sameOrigin && !allowed.contains(origin)) {
      return;
    }
    ctx.header("Access-Control-Allow-Origin", origin);
    ctx.header("Vary", "Origin");
    if (ctx.method() == io.javalin.http.HandlerType.OPTIONS) {
      ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
      ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
      ctx.header("Access-Control-Max-Age", "600");
    }
  }

  private static void authorize(Context ctx, Services services) {
    Set<RouteRole> roles = ctx.routeRoles();
    // The GUI's own files hold no provenance, and the browser must load them before anyone can
    // sign in; every data path is under the API prefix.
    if (roles.contains(Access.PUBLIC) || !ctx.path().startsWith(API)) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(401, "a bearer token is required (Authorization: Bearer <token>)");
    }
    Optional<Viewer> viewer = services.auth().authenticate(header.substring(7).trim());
    if (viewer.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw new ApiException(401, "the token is unknown or expired");
    }
    if (roles.contains(Access.ADMIN) && !viewer.get().seesAll()) {
      throw new ApiException(403, "this needs the admin role");
    }
    ctx.attribute(VIEWER, viewer.get());
  }

  /** The authenticated caller of a request (set before any non-public handler runs). */
  public static Viewer viewer(Context ctx) {
    Viewer v = ctx.attribute(VIEWER);
    if (v == null) {
      throw new IllegalStateException("route is not authenticated");
    }
    return v;
  }

  private static void respond(Context ctx, ApiError error) {
    ctx.status(error.status()).json(error);
  }

  /** Starts listening; returns the port (useful with port 0). */
  public int start() {
    app.start(config.bind(), config.port());
    LOG.info("REST API listening on {}:{}{}", config.bind(), app.port(), API);
    return app.port();
  }

  /** The port listened on. */
  public int port() {
    return app.port();
  }

  /** Every registered route. */
  public List<Route> routes() {
    return routes.all();
  }

  /** Blocks until the server stops. */
  public void awaitStop() throws InterruptedException {
    Object lock = new Object();
    app.events(
        e ->
            e.serverStopped(
                () -> {
                  synchronized (lock) {
                    lock.notifyAll();
                  }
                }));
    synchronized (lock) {
      while (app.jettyServer().server().isRunning()) {
        lock.wait(1000);
      }
    }
  }

  @Override
  public void close() {
    app.stop();
    if (cache != null) {
      cache.close();
    }
    if (database != null) {
      database.close();
    }
  }
}
