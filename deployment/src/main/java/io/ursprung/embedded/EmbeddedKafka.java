package io.ursprung.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (combined broker and controller, KRaft mode) inside this JVM,
 * built from the Apache Kafka jars. It is the same broker code a cluster runs, not an imitation; it
 * only skips the separate process.
 *
 * <p>The data directory is formatted on first start and reused afterwards, so a broker started
 * again on the same directory keeps its topics and messages.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final KafkaRaftServer server;
  private volatile boolean closed;

  private EmbeddedKafka(Path dataDir, int port, int controllerPort, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.server = server;
  }

  /**
   * Starts a broker.
   *
   * @param dataDir where logs and metadata live; created and formatted if empty
   * @param port client port on 127.0.0.1, or 0 for a free one
   * @param bindAddress the address to listen on, such as {@code 127.0.0.1}
   */
  public static EmbeddedKafka start(Path dataDir, int port, String bindAddress) {
    try {
      Files.createDirectories(dataDir);
      int clientPort = port == 0 ? freePort() : port;
      // A port the caller chose is not bound yet, so the system may offer it again here: the
      // controller must not take it (Kafka refuses two listeners on one port).
      int controllerPort = freePort();
      while (controllerPort == clientPort) {
        controllerPort = freePort();
      }
      Properties p = new Properties();
      p.put("process.roles", "broker,controller");
      p.put("node.id", "1");
      p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      p.put(
          "listeners",
          "PLAINTEXT://"
              + bindAddress
              + ":"
              + clientPort
              + ",CONTROLLER://127.0.0.1:"
              + controllerPort);
      String advertised = "0.0.0.0".equals(bindAddress) ? hostName() : bindAddress;
      p.put("advertised.listeners", "PLAINTEXT://" + advertised + ":" + clientPort);
      p.put("controller.listener.names", "CONTROLLER");
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.put("inter.broker.listener.name", "PLAINTEXT");
      p.put("log.dirs", dataDir.toAbsolutePath().toString());
      p.put("num.partitions", "4");
      // One node: internal topics cannot have more replicas than that.
      p.put("offsets.topic.replication.factor", "1");
      p.put("offsets.topic.num.partitions", "4");
      p.put("transaction.state.log.replication.factor", "1");
      p.put("transaction.state.log.min.isr", "1");
      p.put("transaction.state.log.num.partitions", "4");
      p.put("group.initial.rebalance.delay.ms", "0");
      p.put("auto.create.topics.enable", "true");
      KafkaConfig config = KafkaConfig.fromProps(p, false);

      if (!Files.exists(dataDir.resolve("meta.properties"))) {
        new Formatter()
            .setPrintStream(
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
            .setNodeId(1)
            .setClusterId(Uuid.randomUuid().toString())
            .setDirectories(List.of(dataDir.toAbsolutePath().toString()))
            .setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
            .setSupportedFeatures(Features.PRODUCTION_FEATURES)
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .setControllerListenerName("CONTROLLER")
            .setIgnoreFormatted(true)
            .run();
      }
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      return new EmbeddedKafka(dataDir, clientPort, controllerPort, server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Kafka broker in " + dataDir, e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the embedded Kafka broker in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** {@code host:port} for clients. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The client port. */
  public int port() {
    return port;
  }

  /** Where the broker keeps its data. */
  public Path dataDir() {
    return dataDir;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers() + ", controller " + controllerPort + "]";
  }
}
