package io.ursprung.consumer.camflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.ursprung.consumer.Source;
import io.ursprung.consumer.StatusReporter;
import io.ursprung.db.camflow.CamflowStore;
import io.ursprung.db.lineage.NodeId;
import io.ursprung.db.prov.ProvDocuments;
import io.ursprung.db.status.IngestStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CamFlow MQTT loop. Messages are taken from the broker with QoS 1 in a persistent session
 * (clean session off, stable client id) and acknowledged by hand, only after the packet's
 * transaction committed (or the packet was dead-lettered): a consumer stopped or killed at any
 * moment gets the unacknowledged packets again from the broker, and {@link CamflowStore} skips
 * those already stored. Messages are handled one at a time, in arrival order, on the thread that
 * calls {@link #run}; Paho's callback thread only queues them, because a Paho callback must not
 * block on a subscription or on the database.
 *
 * <p>With an {@link IngestStatus}, the instance writes its {@code consumer_status} row like the
 * Kafka consumers (through the same {@link StatusReporter}): at start, every {@code
 * status.interval.ms} and once at shutdown. Its "events" are provenance packets (one MQTT message
 * each), its dead-lettered count is what went to {@code camflow_dead_letters}, and its lag is
 * always null: an MQTT broker tells a subscriber nothing about what is still queued for it.
 */
public final class CamflowConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(CamflowConsumer.class);
  private static final Pattern MACHINE_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final int QOS = 1;

  private final CamflowSettings settings;
  private final CamflowStore store;
  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final Map<String, String> hosts = new ConcurrentHashMap<>();
  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;
  private volatile boolean connected;
  private volatile MqttClient client;

  private final AtomicLong packets = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong mapped = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong statusWrites = new AtomicLong();
  private final AtomicLong statusFailures = new AtomicLong();
  private volatile long lastPacketNanos = -1;
  private final StatusReporter status;

  /** A message to handle, or a request to subscribe again after a reconnect. */
  private record Item(String topic, MqttMessage message) {}

  /** A consumer that writes no status row. */
  public CamflowConsumer(CamflowSettings settings, CamflowStore store) {
    this(settings, store, null);
  }

  /**
   * A consumer that reports to {@code consumer_status} through {@code ingestStatus} (unless it is
   * null or {@code status.interval.ms} is 0).
   */
  public CamflowConsumer(CamflowSettings settings, CamflowStore store, IngestStatus ingestStatus) {
    this.settings = settings;
    this.store = store;
    this.status =
        ingestStatus == null || settings.statusInterval().isZero()
            ? null
            : new StatusReporter(
                ingestStatus,
                Source.CAMFLOW.cliName(),
                // The filter that covers every machine's provenance topic, whether or not the
                // consumer subscribed with it: the packets it counts come from these topics.
                settings.provenancePrefix() + "+",
                // MQTT has no consumer group; the client id names the broker session instead.
                settings.clientId(),
                new StatusCounters(),
                Clock.systemUTC());
  }

  /** This instance's id in {@code consumer_status}, or null when it does not report. */
  public String statusInstanceId() {
    return status == null ? null : status.instanceId();
  }

  /** Status rows written, and status writes that failed. */
  public long statusWrites() {
    return statusWrites.get();
  }

  public long statusFailures() {
    return statusFailures.get();
  }

  /** What the status row reports, in the reporter's terms. */
  private final class StatusCounters implements StatusReporter.Counters {
    @Override
    public long events() {
      return packets.get();
    }

    @Override
    public long batches() {
      // One store transaction per packet, a duplicate's included.
      return packets.get() + duplicates.get();
    }

    @Override
    public long deadLettered() {
      return deadLetters.get();
    }

    @Override
    public long lastBatchNanos() {
      return lastPacketNanos;
    }

    @Override
    public void statusWritten() {
      statusWrites.incrementAndGet();
    }

    @Override
    public void statusFailed() {
      statusFailures.incrementAndGet();
    }
  }

  /** Packets stored (not counting duplicates and dead letters). */
  public long packets() {
    return packets.get();
  }

  /** Packets skipped because they were stored before. */
  public long duplicates() {
    return duplicates.get();
  }

  /** Packets set aside as unusable. */
  public long deadLetters() {
    return deadLetters.get();
  }

  /** Relations mapped to the graph. */
  public long mapped() {
    return mapped.get();
  }

  /** Whether the client is connected and subscribed. */
  public boolean connected() {
    return connected;
  }

  /** Asks {@link #run} to return after the message in hand. */
  public void stop() {
    stopping = true;
  }

  /** Connects, subscribes and handles messages until {@link #stop}. */
  public void run() throws InterruptedException {
    long backoff = 500;
    long nextMetrics = System.currentTimeMillis() + settings.metricsInterval().toMillis();
    long nextStatus = System.currentTimeMillis();
    try {
      hosts.putAll(retrying(store::machines));
      while (!stopping) {
        if (status != null && System.currentTimeMillis() >= nextStatus) {
          // Also while the broker is away: the row says the instance runs and stores nothing.
          status.report(-1);
          nextStatus = System.currentTimeMillis() + settings.statusInterval().toMillis();
        }
        if (client == null || !client.isConnected()) {
          connected = false;
          try {
            connect();
            backoff = 500;
          } catch (MqttException e) {
            LOG.warn(
                "MQTT broker {} not available ({}); retrying in {} ms",
                settings.serverUri(),
                e.getMessage(),
                backoff);
            sleep(backoff);
            backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
            continue;
          }
        }
        Item item = queue.poll(200, TimeUnit.MILLISECONDS);
        if (item != null) {
          if (item.message() == null) {
            resubscribe();
          } else {
            handle(item);
          }
        }
        if (System.currentTimeMillis() >= nextMetrics) {
          LOG.info(
              "camflow: {} packets stored, {} duplicates, {} dead letters, {} relations mapped,"
                  + " {} retries",
              packets.get(),
              duplicates.get(),
              deadLetters.get(),
              mapped.get(),
              retries.get());
          nextMetrics = System.currentTimeMillis() + settings.metricsInterval().toMillis();
        }
      }
    } finally {
      close();
      if (status != null) {
        status.finish(-1);
        status.close();
      }
    }
  }

  private void connect() throws MqttException {
    close();
    MqttClient c =
        new MqttClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
    c.setManualAcks(true);
    c.setCallback(
        new MqttCallbackExtended() {
          @Override
          public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
              queue.add(new Item(null, null)); // subscribe again on the loop's thread
            }
          }

          @Override
          public void connectionLost(Throwable cause) {
            connected = false;
            LOG.warn("MQTT connection lost: {}", cause == null ? "?" : cause.getMessage());
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            queue.add(new Item(topic, message));
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {
            // The consumer publishes nothing.
          }
        });
    c.connect(options());
    client = c;
    subscribed.clear();
    resubscribe();
    connected = true;
    LOG.info("connected to {} as {}", settings.serverUri(), settings.clientId());
  }

  private MqttConnectOptions options() {
    MqttConnectOptions o = new MqttConnectOptions();
    // A persistent session: the broker queues QoS 1 packets for this client id while it is down.
    o.setCleanSession(false);
    // Reconnection is the loop's (with its back-off), so there is one client at a time.
    o.setAutomaticReconnect(false);
    o.setKeepAliveInterval(30);
    o.setConnectionTimeout(10);
    o.setMaxInflight(1000);
    if (settings.username() != null) {
      o.setUserName(settings.username());
    }
    if (settings.password() != null) {
      o.setPassword(settings.password().toCharArray());
    }
    if (settings.tls()) {
      o.setSocketFactory(socketFactory());
    }
    return o;
  }

  private SSLSocketFactory socketFactory() {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(
          settings.trustStore() == null
              ? null
              : load(settings.trustStore(), settings.trustStorePassword()));
      KeyManagerFactory kmf = null;
      if (settings.keyStore() != null) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        char[] pw =
            settings.keyStorePassword() == null
                ? new char[0]
                : settings.keyStorePassword().toCharArray();
        kmf.init(load(settings.keyStore(), settings.keyStorePassword()), pw);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up TLS for MQTT: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(Path file, String password) throws Exception {
    // KeyStore.getInstance(File, ...) detects PKCS12 and JKS.
    return KeyStore.getInstance(
        file.toFile(), password == null ? new char[0] : password.toCharArray());
  }

  private void resubscribe() {
    MqttClient c = client;
    if (c == null) {
      return;
    }
    try {
      subscribe(c, settings.machinesTopic());
      if (settings.subscribeAll()) {
        subscribe(c, settings.provenancePrefix() + "+");
      }
      for (String machine : hosts.keySet()) {
        subscribe(c, settings.provenancePrefix() + machine);
      }
    } catch (MqttException e) {
      LOG.warn("cannot subscribe ({}); reconnecting", e.getMessage());
      close();
    }
  }

  private void subscribe(MqttClient c, String topic) throws MqttException {
    c.subscribe(topic, QOS);
    subscribed.add(topic);
    LOG.info("subscribed to {}", topic);
  }

  private void handle(Item item) throws InterruptedException {
    String topic = item.topic();
    byte[] payload = item.message().getPayload();
    Instant now = Instant.now();
    if (topic.equals(settings.machinesTopic())) {
      String[] machine = announcement(payload);
      if (machine == null) {
        retrying(
            () -> {
              store.deadLetter(topic, null, "announcement: no machine id", payload);
              return null;
            });
        deadLetters.incrementAndGet();
      } else {
        String host = retrying(() -> store.machine(machine[0], machine[1], now));
        hosts.put(machine[0], host);
        String t = settings.provenancePrefix() + machine[0];
        if (!subscribed.contains(t)) {
          try {
            subscribe(client, t);
          } catch (MqttException e) {
            LOG.warn("cannot subscribe to {} ({}); reconnecting", t, e.getMessage());
            close();
            return; // not acknowledged: the announcement comes again
          }
        }
      }
      ack(item);
      return;
    }
    if (!topic.startsWith(settings.provenancePrefix())) {
      ack(item);
      return;
    }
    String machineId = topic.substring(settings.provenancePrefix().length());
    if (!MACHINE_ID.matcher(machineId).matches()) {
      retrying(
          () -> {
            store.deadLetter(topic, null, "topic: not a machine id", payload);
            return null;
          });
      deadLetters.incrementAndGet();
      ack(item);
      return;
    }
    String host = hosts.get(machineId);
    if (host == null) {
      host = retrying(() -> store.machine(machineId, null, now));
      hosts.put(machineId, host);
    }
    CamflowStore.Packet packet;
    try {
      packet = PacketDecoder.decode(payload);
    } catch (BadPacketException e) {
      LOG.warn("dead-lettered a packet of machine {}: {}", machineId, e.getMessage());
      retrying(
          () -> {
            store.deadLetter(topic, machineId, e.getMessage(), payload);
            return null;
          });
      deadLetters.incrementAndGet();
      ack(item);
      return;
    }
    String h = host;
    String digest = sha256(payload);
    long t0 = System.nanoTime();
    CamflowStore.Result r =
        retrying(() -> store.store(h, digest, packet, new CamflowMapper(now), now));
    lastPacketNanos = System.nanoTime() - t0;
    if (r.duplicate()) {
      duplicates.incrementAndGet();
    } else {
      packets.incrementAndGet();
      mapped.addAndGet(r.mapped());
    }
    ack(item);
  }

  private void ack(Item item) {
    try {
      client.messageArrivedComplete(item.message().getId(), item.message().getQos());
    } catch (MqttException | RuntimeException e) {
      // The broker sends it again on the next connection; the store skips it then.
      LOG.debug("cannot acknowledge message {}: {}", item.message().getId(), e.getMessage());
    }
  }

  /**
   * The machine id and announced host name (or null) of an announcement: the id as text, or a JSON
   * object with {@code machine_id} (or {@code id}) and optionally {@code hostname}; also either of
   * these Base64+zlib encoded as provenance packets are.
   */
  static String[] announcement(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8).trim();
    if (MACHINE_ID.matcher(text).matches() && !text.isEmpty()) {
      return new String[] {text, null};
    }
    JsonNode n = null;
    try {
      n = ProvDocuments.JSON.readTree(text);
    } catch (Exception e) {
      try {
        n = PacketDecoder.document(payload);
      } catch (BadPacketException bad) {
        return null;
      }
    }
    if (n == null) {
      return null;
    }
    if (n.isNumber() || n.isTextual()) {
      String id = n.asText();
      return MACHINE_ID.matcher(id).matches() ? new String[] {id, null} : null;
    }
    if (!n.isObject()) {
      return null;
    }
    JsonNode id =
        n.has("machine_id")
            ? n.get("machine_id")
            : n.has("cf:machine_id") ? n.get("cf:machine_id") : n.get("id");
    if (id == null || !MACHINE_ID.matcher(id.asText()).matches()) {
      return null;
    }
    JsonNode hn = n.has("hostname") ? n.get("hostname") : n.get("host");
    String host = hn == null ? null : hn.asText();
    if (host != null && !NodeId.HOST.matcher(host).matches()) {
      host = null;
    }
    return new String[] {id.asText(), host};
  }

  @FunctionalInterface
  private interface Db<T> {
    T run() throws SQLException;
  }

  /** Runs database work until it succeeds; PostgreSQL being away only delays the packet. */
  private <T> T retrying(Db<T> work) throws InterruptedException {
    long backoff = 200;
    while (true) {
      try {
        return work.run();
      } catch (SQLException | RuntimeException e) {
        if (stopping) {
          throw new InterruptedException("stopped while the store was failing: " + e.getMessage());
        }
        retries.incrementAndGet();
        LOG.warn("store failed ({}); retrying in {} ms", e.getMessage(), backoff);
        sleep(backoff);
        backoff = Math.min(backoff * 2, settings.maxBackoff().toMillis());
      }
    }
  }

  private void sleep(long ms) throws InterruptedException {
    long until = System.currentTimeMillis() + ms;
    while (!stopping && System.currentTimeMillis() < until) {
      Thread.sleep(Math.min(100, until - System.currentTimeMillis() + 1));
    }
  }

  private void close() {
    MqttClient c = client;
    client = null;
    connected = false;
    queue.clear(); // unacknowledged: the broker delivers them again in the next session
    if (c == null) {
      return;
    }
    try {
      if (c.isConnected()) {
        c.disconnect(2000);
      }
    } catch (MqttException e) {
      LOG.debug("disconnect: {}", e.getMessage());
    }
    try {
      c.close(true);
    } catch (MqttException e) {
      LOG.debug("close: {}", e.getMessage());
    }
  }

  static String sha256(byte[] payload) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
