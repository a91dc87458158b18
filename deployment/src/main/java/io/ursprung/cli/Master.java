package io.ursprung.cli;

import com.sun.security.auth.module.UnixSystem;
import io.ursprung.backend.Backend;
import io.ursprung.backend.BackendConfig;
import io.ursprung.config.Config;
import io.ursprung.consumer.AuditdMapper;
import io.ursprung.consumer.ConsumerLoop;
import io.ursprung.consumer.ConsumerSettings;
import io.ursprung.consumer.Metrics;
import io.ursprung.consumer.ScaleMapper;
import io.ursprung.consumer.Source;
import io.ursprung.consumer.SourceHandler;
import io.ursprung.db.Database;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.embedded.EmbeddedKafka;
import io.ursprung.embedded.EmbeddedPostgres;
import io.ursprung.events.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole master in one process: a Kafka broker, PostgreSQL (embedded unless one is configured),
 * the auditd and Spectrum Scale consumers, and the REST API serving the GUI on one port. Stopped in
 * the reverse order of starting.
 */
final class Master implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Master.class);

  /** Where and how to run. */
  record Options(
      Path dataDir,
      int port,
      int kafkaPort,
      String kafkaBind,
      int postgresPort,
      String jdbcUrl,
      String jdbcUser,
      String jdbcPassword) {}

  /** What a user needs to sign in. */
  record Login(String user, String password, String adminToken) {}

  private final List<AutoCloseable> started = new ArrayList<>();
  private final List<Thread> consumerThreads = new ArrayList<>();
  private final List<ConsumerLoop> loops = new ArrayList<>();
  private EmbeddedKafka kafka;
  private Backend backend;
  private Login login;
  private String jdbcUrl;
  private String jdbcUser;
  private String jdbcPassword;

  /** The default data directory: a system one for root (reachable by 'nobody'), else per user. */
  static Path defaultDataDir() {
    if (new UnixSystem().getUid() == 0) {
      return Path.of("/var/lib/ursprung");
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("ursprung");
  }

  static Master start(Options o) throws IOException, InterruptedException {
    Master m = new Master();
    try {
      m.doStart(o);
      return m;
    } catch (IOException | RuntimeException | InterruptedException e) {
      m.close();
      throw e;
    }
  }

  private void doStart(Options o) throws IOException, InterruptedException {
    Files.createDirectories(o.dataDir());
    LOG.info("Data directory: {}", o.dataDir());

    kafka = EmbeddedKafka.start(o.dataDir().resolve("kafka"), o.kafkaPort(), o.kafkaBind());
    started.add(kafka);
    LOG.info("Kafka broker at {}", kafka.bootstrapServers());

    if (o.jdbcUrl() == null || o.jdbcUrl().isBlank()) {
      EmbeddedPostgres pg =
          EmbeddedPostgres.start(o.dataDir().resolve("postgres"), o.postgresPort());
      started.add(pg);
      jdbcUrl = pg.jdbcUrl();
      jdbcUser = EmbeddedPostgres.USER;
      jdbcPassword = "";
    } else {
      jdbcUrl = o.jdbcUrl();
      jdbcUser = o.jdbcUser();
      jdbcPassword = o.jdbcPassword() == null ? "" : o.jdbcPassword();
    }
    try (Database db =
        Database.open(
            jdbcUrl,
            jdbcUser,
            jdbcPassword.isEmpty() ? null : jdbcPassword,
            "ursprung-migrate",
            // Flyway holds one connection for its lock and migrates on another.
            3)) {
      db.migrate();
    }

    for (io.ursprung.consumer.Source source :
        List.of(
            io.ursprung.consumer.Source.AUDITD,
            io.ursprung.consumer.Source.SCALE,
            io.ursprung.consumer.Source.JOBS)) {
      startConsumer(source);
    }

    String adminToken =
        secret(o.dataDir().resolve("admin-token"), System.getenv("URSPRUNG_ADMIN_TOKEN"));
    Map<String, String> backendKeys = new LinkedHashMap<>();
    backendKeys.put(BackendConfig.PORT, Integer.toString(o.port()));
    backendKeys.put(BackendConfig.JDBC_URL, jdbcUrl);
    backendKeys.put(BackendConfig.JDBC_USER, jdbcUser);
    backendKeys.put(BackendConfig.JDBC_PASSWORD, jdbcPassword);
    backendKeys.put(BackendConfig.ADMIN_TOKEN, adminToken);
    backendKeys.put(BackendConfig.SERVE_GUI, "true");
    Config bc = BackendConfig.DEFINITION.parse(Map.of(), System.getenv(), backendKeys);
    backend = Backend.open(BackendConfig.from(bc));
    started.add(backend);

    String password = secret(o.dataDir().resolve("gui-password"), null);
    ensureGuiUser(o.port(), adminToken, "ursprung", password);
    login = new Login("ursprung", password, adminToken);
  }

  private void startConsumer(io.ursprung.consumer.Source source) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(ConsumerSettings.BOOTSTRAP, kafka.bootstrapServers());
    keys.put(ConsumerSettings.JDBC_URL, jdbcUrl);
    keys.put(ConsumerSettings.JDBC_USER, jdbcUser);
    keys.put(ConsumerSettings.JDBC_PASSWORD, jdbcPassword);
    Config c = ConsumerSettings.DEFINITION.parse(Map.of(), System.getenv(), keys);
    ConsumerSettings settings = ConsumerSettings.from(source, c);
    Database db =
        Database.open(
            jdbcUrl,
            jdbcUser,
            jdbcPassword.isEmpty() ? null : jdbcPassword,
            "ursprung-consumer-" + source.cliName(),
            2);
    started.add(db);
    GraphStore store = new GraphStore(db.dataSource(), settings.skew());
    java.util.function.Supplier<SourceHandler> handlers =
        () ->
            switch (source) {
              case AUDITD -> new AuditdMapper(new EventCodec(), store);
              case SCALE -> new ScaleMapper(store, settings.renameTimeout());
              case JOBS ->
                  new io.ursprung.consumer.JobsHandler(
                      new EventCodec(), new io.ursprung.db.jobs.JobStore(db.dataSource()));
              default -> throw new IllegalArgumentException("no in-process consumer for " + source);
            };
    Metrics metrics = new Metrics();
    ConsumerLoop loop =
        new ConsumerLoop(
            settings,
            handlers.get(),
            // The Scale mapper keeps its clock from batch to batch: not pipelined.
            source == Source.SCALE ? null : handlers.get(),
            metrics,
            new io.ursprung.consumer.StatusReporter(
                new io.ursprung.db.status.IngestStatus(db.dataSource()),
                settings,
                metrics,
                java.time.Clock.systemUTC()));
    loops.add(loop);
    Thread t = new Thread(loop::run, "consumer-" + source.cliName());
    t.start();
    consumerThreads.add(t);
    LOG.info("Consumer for {} reading topic {}", source.cliName(), settings.topic());
  }

  /** A secret kept in a 0600 file so that restarts keep it; the given value wins. */
  private static String secret(Path file, String given) throws IOException {
    if (given != null && !given.isBlank()) {
      return given;
    }
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    String value = HexFormat.of().formatHex(b);
    Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return value;
  }

  /** Creates (or resets) the GUI login through the API, as an administrator would. */
  private static void ensureGuiUser(int port, String adminToken, String user, String password)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String body = "{\"password\":\"" + password + "\",\"role\":\"admin\",\"uids\":[],\"gids\":[]}";
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + Backend.API + "/users/" + user))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException("cannot create the GUI user: " + r.statusCode() + " " + r.body());
    }
  }

  String kafkaBootstrap() {
    return kafka.bootstrapServers();
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  Login login() {
    return login;
  }

  /** Properties a plugin or producer in this process needs to reach the broker. */
  Properties kafkaProperties() {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    return p;
  }

  @Override
  public void close() {
    for (ConsumerLoop l : loops) {
      l.stop();
    }
    for (Thread t : consumerThreads) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", started.get(i), e.toString());
      }
    }
    started.clear();
  }
}
