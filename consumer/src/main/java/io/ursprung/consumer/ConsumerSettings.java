package io.ursprung.consumer;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigDef;
import io.ursprung.config.Validators;
import io.ursprung.consumer.rules.RuleSettings;
import io.ursprung.db.StoreKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

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
 * @param pipeline whether a batch is read and mapped while the one before is written (sources whose
 *     handlers keep nothing between batches)
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
    Duration statusInterval,
    boolean pipeline) {

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
  public static final String PIPELINE = "pipeline";

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
              ConsumerSettings::topicProblem,
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
          .define(
              PIPELINE,
              ConfigDef.Type.BOOLEAN,
              true,
              Validators.any(),
              "Read and map the next batch while the current one is written (auditd and jobs"
                  + " sources; Spectrum Scale batches are always one after another). Offsets are"
                  + " still committed only after their own batch's database commit, in order.")
          .definePassThrough(
              "kafka.",
              "Any other Kafka client property, such as kafka.security.protocol=SASL_SSL or"
                  + " kafka.sasl.jaas.config; passed to the consumer and the dead-letter producer.")
          .checkPassThrough("kafka.", ConsumerSettings::kafkaProblems);

  /** Kafka's limit on topic names. */
  private static final int KAFKA_TOPIC_MAX = 249;

  /** The dead-letter topic's suffix. */
  private static final String DLQ_SUFFIX = ".dlq";

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
        Duration.ofMillis(c.getLong(STATUS_INTERVAL)),
        c.getBoolean(PIPELINE));
  }

  /** The dead-letter topic. */
  public String deadLetterTopic() {
    return topic + DLQ_SUFFIX;
  }

  /**
   * {@link #TOPIC}: empty (the source's default), or a topic name whose dead-letter topic is a
   * topic name too. Otherwise the first malformed message would stop the consumer with Kafka's
   * InvalidTopicException, long after start-up.
   */
  private static String topicProblem(Object value) {
    String s = value.toString();
    if (s.isEmpty()) {
      return null;
    }
    String problem = Validators.kafkaTopic().check(value);
    if (problem != null) {
      return problem;
    }
    if (s.equals(".") || s.equals("..")) {
      return "must not be '.' or '..', which Kafka does not allow as topic names";
    }
    int max = KAFKA_TOPIC_MAX - DLQ_SUFFIX.length();
    if (s.length() > max) {
      return "must have at most "
          + max
          + " characters, because its dead-letter topic <topic>"
          + DLQ_SUFFIX
          + " must fit Kafka's limit of "
          + KAFKA_TOPIC_MAX
          + "; got "
          + s.length();
    }
    return null;
  }

  /**
   * The {@code kafka.*} pass-through properties as the Kafka client will judge them, so that a bad
   * one stops the consumer at start-up with the other configuration problems (exit status 2),
   * before the database is opened, instead of failing in the client's constructor. The properties
   * are assembled by {@link ConsumerLoop} exactly as for the real clients; the keys the loop sets
   * itself (brokers, group, deserialisers) get placeholders, as their values are checked above.
   *
   * <p>Kafka stops at its first problem, so each property is checked on its own first, to name
   * every bad key at once; the whole set is checked after that, for combinations that are only
   * wrong together (such as the idempotent producer's limits).
   */
  static List<String> kafkaProblems(Map<String, String> kafka) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : kafka.entrySet()) {
      String problem = kafkaProblem(Map.of(e.getKey(), e.getValue()), false);
      if (problem != null) {
        problems.add("kafka." + e.getKey() + " " + problem);
      }
    }
    if (problems.isEmpty() && !kafka.isEmpty()) {
      String problem = kafkaProblem(kafka, true);
      if (problem != null) {
        problems.add("kafka.* properties together " + problem);
      }
    }
    return problems;
  }

  /**
   * Why the Kafka clients would refuse {@code kafka}, or null; {@code whole}: with the producer's
   * cross-checks too.
   */
  private static String kafkaProblem(Map<String, String> kafka, boolean whole) {
    ConsumerSettings probe =
        new ConsumerSettings(
            Source.AUDITD,
            List.of("localhost:9092"),
            Source.AUDITD.defaultTopic(),
            "ursprung-config-check",
            new LinkedHashMap<>(kafka),
            "jdbc:postgresql://localhost/ursprung",
            "ursprung",
            null,
            5000,
            Duration.ofMillis(500),
            Duration.ZERO,
            Duration.ofMillis(1),
            Duration.ofMillis(100),
            Duration.ofMillis(100),
            Duration.ZERO,
            false);
    try {
      // The protected constructor without logging: the real client logs these values later.
      new ConsumerConfig(asMap(ConsumerLoop.consumerProperties(probe)), false) {};
    } catch (org.apache.kafka.common.KafkaException e) {
      return "is refused by the Kafka consumer: " + e.getMessage();
    }
    try {
      Map<String, Object> producer = asMap(ConsumerLoop.producerProperties(probe));
      // Types and allowed values; then the producer's own cross-checks (the idempotent producer
      // the dead-letter queue uses limits retries and requests in flight). ProducerConfig has no
      // public constructor that does not log, so with kafka.* set its values are logged once more.
      ProducerConfig.configDef().parse(producer);
      if (whole) {
        new ProducerConfig(producer);
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      return "is refused by the Kafka dead-letter producer: " + e.getMessage();
    }
    return null;
  }

  private static Map<String, Object> asMap(Properties p) {
    Map<String, Object> m = new HashMap<>();
    p.forEach((k, v) -> m.put(k.toString(), v));
    return m;
  }
}
