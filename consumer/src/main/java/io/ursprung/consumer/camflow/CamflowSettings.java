package io.ursprung.consumer.camflow;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigDef;
import io.ursprung.config.Validators;
import io.ursprung.consumer.ConsumerSettings;
import io.ursprung.db.StoreKeys;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The configuration of {@code ursprung consumer --source camflow}: every key declared once in
 * {@link #DEFINITION} (the store keys have the same names as for the Kafka sources).
 *
 * @param host MQTT broker host
 * @param port MQTT broker port
 * @param clientId the MQTT client id; stable, so the broker keeps the session while we are down
 * @param username MQTT user, or null
 * @param password MQTT password, or null
 * @param tls whether to connect with TLS
 * @param trustStore trust store (PKCS12 or JKS) for the broker's certificate, or null for the JVM's
 * @param trustStorePassword its password, or null
 * @param keyStore key store with a client certificate, or null
 * @param keyStorePassword its password, or null
 * @param machinesTopic where machines announce themselves
 * @param provenancePrefix the provenance topic of machine M is this prefix + M
 * @param subscribeAll subscribe to every machine's topic from the start (prefix + {@code +})
 * @param jdbcUrl the store
 * @param jdbcUser database user
 * @param jdbcPassword database password, or null
 * @param maxBackoff the longest pause between retries while the broker or PostgreSQL is away
 * @param metricsInterval how often counters are logged
 * @param statusInterval how often the instance's {@code consumer_status} row is written; zero:
 *     never
 */
public record CamflowSettings(
    String host,
    int port,
    String clientId,
    String username,
    String password,
    boolean tls,
    Path trustStore,
    String trustStorePassword,
    Path keyStore,
    String keyStorePassword,
    String machinesTopic,
    String provenancePrefix,
    boolean subscribeAll,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    Duration maxBackoff,
    Duration metricsInterval,
    Duration statusInterval) {

  public static final String HOST = "mqtt.host";
  public static final String PORT = "mqtt.port";
  public static final String CLIENT_ID = "mqtt.client.id";
  public static final String USERNAME = "mqtt.username";
  public static final String PASSWORD = "mqtt.password";
  public static final String TLS = "mqtt.tls";
  public static final String TRUST_STORE = "mqtt.tls.truststore";
  public static final String TRUST_STORE_PASSWORD = "mqtt.tls.truststore.password";
  public static final String KEY_STORE = "mqtt.tls.keystore";
  public static final String KEY_STORE_PASSWORD = "mqtt.tls.keystore.password";
  public static final String MACHINES_TOPIC = "camflow.topic.machines";
  public static final String PROVENANCE_PREFIX = "camflow.topic.provenance";
  public static final String SUBSCRIBE_ALL = "camflow.subscribe.all";
  public static final String JDBC_URL = StoreKeys.URL;
  public static final String JDBC_USER = StoreKeys.USER;
  public static final String JDBC_PASSWORD = StoreKeys.PASSWORD;
  public static final String MAX_BACKOFF = "retry.max.backoff.ms";
  public static final String METRICS_INTERVAL = "metrics.interval.ms";
  // The same key, meaning and default as the Kafka sources' (ConsumerSettings).
  public static final String STATUS_INTERVAL = ConsumerSettings.STATUS_INTERVAL;

  /** Every key of the CamFlow source. */
  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(HOST, ConfigDef.Type.STRING, "127.0.0.1", Validators.nonBlank(), "MQTT broker.")
          .define(
              PORT,
              ConfigDef.Type.INT,
              1883,
              Validators.between(1, 65535),
              "MQTT broker port (8883 is usual with TLS).")
          .define(
              CLIENT_ID,
              ConfigDef.Type.STRING,
              "ursprung-camflow",
              Validators.noWhitespace(),
              "MQTT client id. Keep it stable: the session is persistent (clean session off), so"
                  + " the broker keeps QoS 1 packets for this id while the consumer is down.")
          .define(
              USERNAME, ConfigDef.Type.STRING, "", Validators.any(), "MQTT user; empty for none.")
          .defineSecret(PASSWORD, "", "MQTT password.")
          .define(
              TLS,
              ConfigDef.Type.BOOLEAN,
              false,
              Validators.any(),
              "Connect with TLS (ssl://). The broker's certificate is checked against the trust"
                  + " store, or the JVM's default trust store when none is given.")
          .define(
              TRUST_STORE,
              ConfigDef.Type.STRING,
              "",
              Validators.any(),
              "Trust store file (PKCS12 or JKS) with the broker's CA; empty for the JVM's.")
          .defineSecret(TRUST_STORE_PASSWORD, "", "Trust store password.")
          .define(
              KEY_STORE,
              ConfigDef.Type.STRING,
              "",
              Validators.any(),
              "Key store file (PKCS12 or JKS) with a client certificate, for brokers that require"
                  + " one; empty for none.")
          .defineSecret(KEY_STORE_PASSWORD, "", "Key store password.")
          .define(
              MACHINES_TOPIC,
              ConfigDef.Type.STRING,
              "camflow/machines",
              Validators.nonBlank(),
              "Topic on which CamFlow machines announce their machine id.")
          .define(
              PROVENANCE_PREFIX,
              ConfigDef.Type.STRING,
              "camflow/provenance/",
              Validators.nonBlank(),
              "Prefix of the per-machine provenance topics (the machine id follows).")
          .define(
              SUBSCRIBE_ALL,
              ConfigDef.Type.BOOLEAN,
              false,
              Validators.any(),
              "Also subscribe to <prefix>+ at start, so packets of a machine that published"
                  + " before it announced itself are not missed.")
          // The store's keys are declared once, for every service that opens it.
          .with(StoreKeys::define)
          .define(
              MAX_BACKOFF,
              ConfigDef.Type.LONG,
              30_000L,
              Validators.between(100, 600_000),
              "Longest pause between retries while the broker or PostgreSQL is unavailable.")
          .define(
              METRICS_INTERVAL,
              ConfigDef.Type.LONG,
              10_000L,
              Validators.between(100, 3_600_000),
              "How often packet, pending and dead-letter counts are logged.")
          .define(
              STATUS_INTERVAL,
              ConfigDef.Type.LONG,
              10_000L,
              v ->
                  ((Number) v).longValue() == 0
                      ? null
                      : Validators.between(100, 3_600_000).check(v),
              "How often the consumer writes its status row (packets stored, packets"
                  + " dead-lettered; no lag, which MQTT does not have) to the consumer_status"
                  + " table, which the GUI dashboard and GET /api/v1/metrics show; also once"
                  + " connected and once at shutdown. 0: never.");

  /** Reads the settings from a parsed configuration. */
  public static CamflowSettings from(Config c) {
    return new CamflowSettings(
        c.getString(HOST),
        c.getInt(PORT),
        c.getString(CLIENT_ID),
        emptyToNull(c.getString(USERNAME)),
        emptyToNull(c.getString(PASSWORD)),
        c.getBoolean(TLS),
        path(c.getString(TRUST_STORE)),
        emptyToNull(c.getString(TRUST_STORE_PASSWORD)),
        path(c.getString(KEY_STORE)),
        emptyToNull(c.getString(KEY_STORE_PASSWORD)),
        c.getString(MACHINES_TOPIC),
        c.getString(PROVENANCE_PREFIX),
        c.getBoolean(SUBSCRIBE_ALL),
        c.getString(JDBC_URL),
        c.getString(JDBC_USER),
        emptyToNull(c.getString(JDBC_PASSWORD)),
        Duration.ofMillis(c.getLong(MAX_BACKOFF)),
        Duration.ofMillis(c.getLong(METRICS_INTERVAL)),
        Duration.ofMillis(c.getLong(STATUS_INTERVAL)));
  }

  /** The broker URI. */
  public String serverUri() {
    return (tls ? "ssl://" : "tcp://") + host + ":" + port;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static Path path(String s) {
    return s == null || s.isEmpty() ? null : Path.of(s);
  }
}
