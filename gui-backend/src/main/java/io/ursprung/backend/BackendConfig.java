package io.ursprung.backend;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigDef;
import io.ursprung.config.ConfigException;
import io.ursprung.config.Validator;
import io.ursprung.config.Validators;
import io.ursprung.db.StoreKeys;
import io.ursprung.db.auth.PasswordHasher;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The backend's configuration: every key declared once in {@link #DEFINITION}.
 *
 * @param bind address to listen on
 * @param port port to listen on
 * @param corsOrigins browser origins allowed to call the API (the GUI's)
 * @param jdbcUrl the store
 * @param jdbcUser database user
 * @param jdbcPassword database password, empty for none
 * @param poolSize database connections at most
 * @param adminToken the built-in admin's bearer token, empty for none
 * @param sessionTtl lifetime of a login token
 * @param passwordIterations PBKDF2 iterations for new passwords
 * @param loginAttemptsPerAddress login attempts per client address per window
 * @param loginFailuresPerUser failed logins per user name per window
 * @param loginWindow the rate-limit window
 * @param maxDepth largest lineage depth accepted
 * @param maxLimit largest lineage node limit accepted
 * @param serveGui whether to serve the GUI's static files from the class path ({@code /public})
 * @param lineageCache whether lineage walks hop over an in-memory copy of the graph
 * @param lineageCacheWait how long a walk waits for that copy to catch up before walking in SQL
 */
public record BackendConfig(
    String bind,
    int port,
    List<String> corsOrigins,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    int poolSize,
    String adminToken,
    Duration sessionTtl,
    int passwordIterations,
    int loginAttemptsPerAddress,
    int loginFailuresPerUser,
    Duration loginWindow,
    int maxDepth,
    int maxLimit,
    boolean serveGui,
    boolean lineageCache,
    Duration lineageCacheWait) {

  /**
   * Checks what the key validators check for keys that are not validated on parsing: a record made
   * any other way than by {@link #load} (the all-in-one master parses {@link #DEFINITION} itself)
   * still fails here, before anything is opened or started.
   *
   * @throws ConfigException listing every problem
   */
  public BackendConfig {
    List<String> problems = new ArrayList<>();
    String bindProblem = BIND_RULE.check(bind);
    if (bindProblem != null) {
      problems.add(BIND + " " + bindProblem);
    }
    String tokenProblem = ADMIN_TOKEN_RULE.check(adminToken);
    if (tokenProblem != null) {
      problems.add(ADMIN_TOKEN + " " + tokenProblem);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  public static final String BIND = "http.bind";
  public static final String PORT = "http.port";
  public static final String CORS = "cors.origins";
  public static final String JDBC_URL = StoreKeys.URL;
  public static final String JDBC_USER = StoreKeys.USER;
  public static final String JDBC_PASSWORD = StoreKeys.PASSWORD;
  public static final String POOL = "db.pool.size";
  public static final String ADMIN_TOKEN = "admin.token";
  public static final String SESSION_TTL = "auth.session.ttl.minutes";
  public static final String ITERATIONS = "auth.password.iterations";
  public static final String LOGIN_PER_ADDRESS = "auth.login.attempts.per.address";
  public static final String LOGIN_FAILURES = "auth.login.failures.per.user";
  public static final String LOGIN_WINDOW = "auth.login.window.seconds";
  public static final String MAX_DEPTH = "lineage.max.depth";
  public static final String MAX_LIMIT = "lineage.max.limit";
  public static final String SERVE_GUI = "gui.serve";
  public static final String LINEAGE_CACHE = "lineage.cache";
  public static final String LINEAGE_CACHE_WAIT = "lineage.cache.wait.ms";

  /** Shortest admin token accepted (what {@code JdbcAuthService.setAdminToken} requires). */
  public static final int MIN_ADMIN_TOKEN = 16;

  /**
   * {@value #ADMIN_TOKEN}: empty for none, else at least {@link #MIN_ADMIN_TOKEN} characters. Found
   * only when the store was already open before, and ended the program with a stack trace. Never
   * quotes the value: it is a secret.
   */
  static final Validator ADMIN_TOKEN_RULE =
      v -> {
        String s = v == null ? "" : v.toString();
        return s.isEmpty() || s.length() >= MIN_ADMIN_TOKEN
            ? null
            : "must be empty (no admin token) or have at least "
                + MIN_ADMIN_TOKEN
                + " characters, got "
                + s.length();
      };

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final Pattern IPV6_LITERAL =
      Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?]?");

  /**
   * {@value #BIND}: an IP address or a host name. A port or a URL here used to pass and fail only
   * when the server started listening, after the store had been opened and migrated.
   */
  static final Validator BIND_RULE =
      v -> {
        String s = v == null ? "" : v.toString();
        String problem =
            "must be an IP address or a host name without a port (the port is "
                + PORT
                + "), got '"
                + s
                + "'";
        if (s.contains(":")) {
          // Only text shaped like an IPv6 literal reaches InetAddress, which then parses it
          // without a name lookup; anything else with a colon (a port, a URL) is refused as is.
          if (!IPV6_LITERAL.matcher(s).matches()) {
            return problem;
          }
          try {
            InetAddress.getByName(s);
            return null;
          } catch (UnknownHostException | RuntimeException e) {
            return problem;
          }
        }
        return HOST_NAME.matcher(s).matches() ? null : problem;
      };

  /** Every key of the backend, with default, validator and description. */
  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              BIND,
              ConfigDef.Type.STRING,
              "0.0.0.0",
              BIND_RULE,
              "Address to listen on (an IP address or a host name, no port).")
          .define(
              PORT,
              ConfigDef.Type.INT,
              3100,
              Validators.between(0, 65535),
              "Port of the REST API (0: any free port).")
          .define(
              CORS,
              ConfigDef.Type.LIST,
              "http://localhost:3000",
              v ->
                  ((List<?>) v)
                          .stream()
                              .allMatch(
                                  o -> o.toString().matches("https?://[A-Za-z0-9.\\-]+(:\\d+)?"))
                      ? null
                      : "must be origins such as http://localhost:3000 (scheme, host, port; no"
                          + " wildcard)",
              "Browser origins allowed to call the API (the GUI's), comma separated.")
          // The store's keys are declared once, for every service that opens it.
          .with(StoreKeys::define)
          .define(
              POOL,
              ConfigDef.Type.INT,
              8,
              Validators.between(1, 200),
              "Most database connections the API holds. A large lineage walk borrows a second"
                  + " one while one is idle, to run its levels on two cores.")
          .defineSecret(
              ADMIN_TOKEN,
              "",
              "Bearer token of the built-in admin, set at start-up (at least "
                  + MIN_ADMIN_TOKEN
                  + " characters);"
                  + " empty: no admin token. Usually given as URSPRUNG_ADMIN_TOKEN.")
          .define(
              SESSION_TTL,
              ConfigDef.Type.INT,
              720,
              Validators.between(1, 525_600),
              "Minutes a login token stays valid.")
          .define(
              ITERATIONS,
              ConfigDef.Type.INT,
              PasswordHasher.DEFAULT_ITERATIONS,
              Validators.between(10_000, 10_000_000),
              "PBKDF2-HMAC-SHA256 iterations for new password hashes.")
          .define(
              LOGIN_PER_ADDRESS,
              ConfigDef.Type.INT,
              10,
              Validators.between(1, 100_000),
              "Login attempts allowed per client address per window.")
          .define(
              LOGIN_FAILURES,
              ConfigDef.Type.INT,
              5,
              Validators.between(1, 100_000),
              "Failed logins allowed per user name per window.")
          .define(
              LOGIN_WINDOW,
              ConfigDef.Type.INT,
              60,
              Validators.between(1, 86_400),
              "Length of the login rate-limit window in seconds.")
          .define(
              MAX_DEPTH,
              ConfigDef.Type.INT,
              100,
              Validators.between(1, 1000),
              "Largest lineage depth a request may ask for.")
          .define(
              MAX_LIMIT,
              ConfigDef.Type.INT,
              50_000,
              Validators.between(1, 1_000_000),
              "Largest number of nodes a lineage request may ask for.")
          .define(
              SERVE_GUI,
              ConfigDef.Type.BOOLEAN,
              false,
              Validators.any(),
              "Also serve the GUI's static files (class path /public) with a single-page-app"
                  + " fallback, for the all-in-one master.")
          .define(
              LINEAGE_CACHE,
              ConfigDef.Type.BOOLEAN,
              true,
              Validators.any(),
              "Answer lineage walks from an in-memory copy of the graph's edges, kept current"
                  + " through logical replication (needs wal_level = logical and a database user"
                  + " with REPLICATION; about 140 bytes of heap per edge). Without them, or while"
                  + " the copy loads, walks run in SQL with the same answers.")
          .define(
              LINEAGE_CACHE_WAIT,
              ConfigDef.Type.INT,
              2000,
              Validators.between(0, 60_000),
              "How long a lineage walk waits, in milliseconds, for the in-memory copy to catch up"
                  + " with what was committed before the request; after that it walks in SQL.");

  /**
   * {@value #ADMIN_TOKEN} once more, with its rule: {@code ConfigDef.defineSecret} takes no
   * validator, and a key declared with one is printed unmasked by {@code Config.describe()}. Parsed
   * over the same sources, only to find the problem; its values are never kept or printed, and the
   * rule's message does not quote the value.
   */
  private static final ConfigDef SECRET_RULES =
      new ConfigDef()
          .lenient()
          .define(
              ADMIN_TOKEN,
              ConfigDef.Type.STRING,
              "",
              ADMIN_TOKEN_RULE,
              "Checks the admin token of DEFINITION.");

  /**
   * Reads {@code file} (when given), the environment and the overrides, the way the command does.
   *
   * @throws ConfigException listing every problem, the admin token's among them
   */
  public static BackendConfig load(
      Path file, Map<String, String> env, Map<String, String> overrides) {
    List<String> problems = new ArrayList<>();
    Config c = null;
    try {
      c = DEFINITION.load(file, env, overrides);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    Map<String, String> tokenOverride =
        overrides.containsKey(ADMIN_TOKEN)
            ? Map.of(ADMIN_TOKEN, overrides.get(ADMIN_TOKEN))
            : Map.of();
    try {
      SECRET_RULES.load(file, env, tokenOverride);
    } catch (ConfigException e) {
      // An unreadable file is reported by both passes; say it once.
      e.problems().stream().filter(p -> !problems.contains(p)).forEach(problems::add);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return from(c);
  }

  /** Reads the settings from a parsed configuration. */
  public static BackendConfig from(Config c) {
    return new BackendConfig(
        c.getString(BIND),
        c.getInt(PORT),
        c.getList(CORS),
        c.getString(JDBC_URL),
        c.getString(JDBC_USER),
        c.getString(JDBC_PASSWORD),
        c.getInt(POOL),
        c.getString(ADMIN_TOKEN),
        Duration.ofMinutes(c.getInt(SESSION_TTL)),
        c.getInt(ITERATIONS),
        c.getInt(LOGIN_PER_ADDRESS),
        c.getInt(LOGIN_FAILURES),
        Duration.ofSeconds(c.getInt(LOGIN_WINDOW)),
        c.getInt(MAX_DEPTH),
        c.getInt(MAX_LIMIT),
        c.getBoolean(SERVE_GUI),
        c.getBoolean(LINEAGE_CACHE),
        Duration.ofMillis(c.getInt(LINEAGE_CACHE_WAIT)));
  }

  /** The defaults (and the environment's {@code URSPRUNG_*} values). */
  public static BackendConfig defaults(java.util.Map<String, String> env) {
    return from(DEFINITION.parse(java.util.Map.of(), env, java.util.Map.of()));
  }

  /** A copy listening on another port. */
  public BackendConfig withPort(int newPort) {
    return new BackendConfig(
        bind,
        newPort,
        corsOrigins,
        jdbcUrl,
        jdbcUser,
        jdbcPassword,
        poolSize,
        adminToken,
        sessionTtl,
        passwordIterations,
        loginAttemptsPerAddress,
        loginFailuresPerUser,
        loginWindow,
        maxDepth,
        maxLimit,
        serveGui,
        lineageCache,
        lineageCacheWait);
  }

  /** A copy with the GUI's static files served or not. */
  public BackendConfig withServeGui(boolean serve) {
    return new BackendConfig(
        bind,
        port,
        corsOrigins,
        jdbcUrl,
        jdbcUser,
        jdbcPassword,
        poolSize,
        adminToken,
        sessionTtl,
        passwordIterations,
        loginAttemptsPerAddress,
        loginFailuresPerUser,
        loginWindow,
        maxDepth,
        maxLimit,
        serve,
        lineageCache,
        lineageCacheWait);
  }

  @Override
  public String toString() {
    // Never print the password or token.
    return "BackendConfig[bind="
        + bind
        + ", port="
        + port
        + ", corsOrigins="
        + corsOrigins
        + ", jdbcUrl="
        + jdbcUrl
        + ", jdbcUser="
        + jdbcUser
        + "]";
  }
}
