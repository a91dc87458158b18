package io.ursprung.consumer;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigDef;
import io.ursprung.config.Validators;
import io.ursprung.consumer.rules.RuleSettings;
import io.ursprung.db.StoreKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The consumer's configuration: every key declared once in {@link #DEFINITION}, and the parsed
 * values for one source.
 *
 * @param source what is consumed
 * @param bootstrapServers Kafka brokers
 * @param topic the topic read; its dead-letter topic is {@code <topic>.dlq}
 * @param groupId the consumer group (instances with the same group share the partitions)
 * @param kafkaProperties pass-through Kafka client properties ({@code kafka.*}: SASL, TLS)
 * @param jdbcUrl the store
 * @param jdbcUser database user
 * @param jdbcPassword database password, or null
 * @param batchSize events per batch at most
 * @param batchMaxWait how long the first event of a batch waits for more at most
 * @param skew clock difference allowed when Spectrum Scale events are joined to processes
 * @param renameTimeout how long a Spectrum Scale rename half waits for its partner (event time)
 * @param maxBackoff the longest pause between retries while Kafka or PostgreSQL is unavailable
 * @param metricsInterval how often metrics are logged
 * @param statusInterval how often the instance's status row is written; zero: never
 */
public record ConsumerSettings(
    Source source,
    List<String> bootstrapServers,
    String topic,
    String groupId,
    Map<String, String> kafkaProperties,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    int batchSize,
    Duration batchMaxWait,
    Duration skew,
    Duration renameTimeout,
    Duration maxBackoff,
    Duration metricsInterval,
    Duration statusInterval) {

  public static final String BOOTSTRAP = "kafka.bootstrap.servers";
  public static final String TOPIC = "kafka.topic";
  public static final String GROUP = "kafka.group.id";
  public static final String JDBC_URL = StoreKeys.URL;
  public static final String JDBC_USER = StoreKeys.USER;
  public static final String JDBC_PASSWORD = StoreKeys.PASSWORD;
  public static final String BATCH_SIZE = "batch.size";
  public static final String BATCH_WAIT = "batch.max.wait.ms";
  public static final String SKEW = "skew.ms";
  public static final String RENAME_TIMEOUT = "scale.rename.timeout.ms";
  public static final String MAX_BACKOFF = "retry.max.backoff.ms";
  public static final String METRICS_INTERVAL = "metrics.interval.ms";
  public static final String STATUS_INTERVAL = "status.interval.ms";

  /** Every key of the consumer, with default, validator and description. */
  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              BOOTSTRAP,
              ConfigDef.Type.LIST,
              "localhost:9092",
              Validators.hostPortList(),
              "Kafka brokers, host:port, comma separated.")
          .define(
              TOPIC,
              ConfigDef.Type.STRING,
              "",
              v -> v.toString().isEmpty() ? null : Validators.kafkaTopic().check(v),
              "Topic to read. Empty: by source, auditd for --source auditd, gpfs for --source"
                  + " scale. Malformed messages go to <topic>.dlq.")
          .define(
              GROUP,
              ConfigDef.Type.STRING,
              "",
              Validators.any(),
              "Kafka consumer group. Empty: ursprung-consumer-<source>. Run more instances with"
                  + " the same group to share the partitions.")
          // The store's keys are declared once, for every service that opens it.
          .with(StoreKeys::define)
          .define(
              BATCH_SIZE,
              ConfigDef.Type.INT,
              5000,
              Validators.between(1, 1_000_000),
              "Most events written in one database transaction.")
          .define(
              BATCH_WAIT,
              ConfigDef.Type.LONG,
              500L,
              Validators.between(1, 600_000),
              "Longest time an event waits for its batch to fill before it is written.")
          .define(
              SKEW,
              ConfigDef.Type.LONG,
              1000L,
              Validators.between(0, 3_600_000),
              "Clock difference allowed between sources when a Spectrum Scale file event is joined"
                  + " to the audited process whose lifetime contains its time.")
          .define(
              RENAME_TIMEOUT,
              ConfigDef.Type.LONG,
              60_000L,
              Validators.between(1, 86_400_000),
              "How long (in event time) an IN_MOVED_FROM or IN_MOVED_TO waits for its partner"
                  + " before it is stored as a move out of or into the watched tree.")
          .define(
              MAX_BACKOFF,
              ConfigDef.Type.LONG,
              30_000L,
              Validators.between(100, 600_000),
              "Longest pause between retries while Kafka or PostgreSQL is unavailable.")
          .define(
              METRICS_INTERVAL,
              ConfigDef.Type.LONG,
              10_000L,
              Validators.between(100, 3_600_000),
              "How often events/s, batch latency, lag and dead-letter counts are logged.")
          .define(
              STATUS_INTERVAL,
              ConfigDef.Type.LONG,
              10_000L,
              v ->
                  ((Number) v).longValue() == 0
                      ? null
                      : Validators.between(100, 3_600_000).check(v),
              "How often the consumer writes its status row (events, lag, dead-lettered) to the"
                  + " consumer_status table, which the GUI dashboard and GET /api/v1/metrics show;"
                  + " also at start and once at shutdown. 0: never.")
          .definePassThrough(
              "kafka.",
              "Any other Kafka client property, such as kafka.security.protocol=SASL_SSL or"
                  + " kafka.sasl.jaas.config; passed to the consumer and the dead-letter producer.");

  static {
    // The rule engine's keys (rules.file, rules.db.<alias>.*, ...): see RuleSettings.
    RuleSettings.declare(DEFINITION);
  }

  /** Reads the settings for {@code source} from a parsed configuration. */
  public static ConsumerSettings from(Source source, Config c) {
    String topic = c.getString(TOPIC).isEmpty() ? source.defaultTopic() : c.getString(TOPIC);
    String group =
        c.getString(GROUP).isEmpty() ? "ursprung-consumer-" + source.cliName() : c.getString(GROUP);
    String password = c.getString(JDBC_PASSWORD);
    return new ConsumerSettings(
        source,
        c.getList(BOOTSTRAP),
        topic,
        group,
        c.passThrough("kafka."),
        c.getString(JDBC_URL),
        c.getString(JDBC_USER),
        password.isEmpty() ? null : password,
        c.getInt(BATCH_SIZE),
        Duration.ofMillis(c.getLong(BATCH_WAIT)),
        Duration.ofMillis(c.getLong(SKEW)),
        Duration.ofMillis(c.getLong(RENAME_TIMEOUT)),
        Duration.ofMillis(c.getLong(MAX_BACKOFF)),
        Duration.ofMillis(c.getLong(METRICS_INTERVAL)),
        Duration.ofMillis(c.getLong(STATUS_INTERVAL)));
  }

  /** The dead-letter topic. */
  public String deadLetterTopic() {
    return topic + ".dlq";
  }
}
