package io.ursprung.testkit;

import io.ursprung.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real Kafka broker of this test JVM: started once on first use, stopped when the JVM exits.
 * Tests isolate themselves by creating their own topics with {@link #createTopic(String, int)}.
 */
public final class TestKafka {

  private static TestKafka instance;

  private final EmbeddedKafka broker;
  private final Admin admin;

  private TestKafka(EmbeddedKafka broker) {
    this.broker = broker;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    this.admin = Admin.create(p);
  }

  /** The broker, started on first call. */
  public static synchronized TestKafka get() {
    if (instance == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory("ursprung-it-kafka-");
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot create a temporary directory for Kafka", e);
      }
      EmbeddedKafka broker = EmbeddedKafka.start(dir, 0, "127.0.0.1");
      TestKafka kafka = new TestKafka(broker);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    kafka.admin.close(Duration.ofSeconds(5));
                    broker.close();
                    deleteRecursively(dir);
                  },
                  "test-kafka-shutdown"));
      instance = kafka;
    }
    return instance;
  }

  /** {@code host:port} of the broker. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The underlying broker. */
  public EmbeddedKafka broker() {
    return broker;
  }

  /**
   * Creates a topic with a unique name that starts with {@code prefix} and waits until it exists.
   *
   * @return the topic's name
   */
  public String createTopic(String prefix, int partitions) {
    String name =
        prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-")
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    createTopicNamed(name, partitions);
    return name;
  }

  /** Creates a topic with exactly this name. */
  public void createTopicNamed(String name, int partitions) {
    try {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      // Created is not yet ready: a producer sending at once can meet a partition whose leader
      // is not serving yet (NOT_LEADER_OR_FOLLOWER), and an idempotent producer retrying after
      // that was seen stuck on OUT_OF_ORDER_SEQUENCE_NUMBER until its records expired (a CI run
      // of EtlBobGraphIT). Asking every partition's leader for its end offset, until all answer,
      // waits until the partitions serve requests.
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        ends.put(new TopicPartition(name, p), OffsetSpec.latest());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS);
          break;
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(20);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + name + ": " + e.getMessage(), e);
    }
  }

  /** Settings for a byte-array producer on this broker. */
  public Properties producerProperties() {
    return producerProperties(bootstrapServers());
  }

  /** The same settings for another broker (one a test starts and stops itself, say). */
  public static Properties producerProperties(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return p;
  }

  /** Settings for a byte-array consumer in the given group, reading from the beginning. */
  public Properties consumerProperties(String groupId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  private static void deleteRecursively(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException ignored) {
      // A temp directory left behind is harmless; the JVM is exiting.
    }
  }
}
