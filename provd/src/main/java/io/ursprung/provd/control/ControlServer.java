package io.ursprung.provd.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.provd.capture.CaptureManager;
import io.ursprung.provd.capture.CaptureRefusedException;
import io.ursprung.provd.capture.CaptureSink;
import io.ursprung.provd.capture.CaptureStatus;
import io.ursprung.provd.capture.CapturedLine;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control port. One request per connection: the server greets with a challenge, reads one
 * signed request, checks it, and answers; a {@code capture} then streams matching lines until the
 * capture ends or the client hangs up (which releases the capture, so a lost client never leaks a
 * tracer).
 *
 * <p>Each connection has its own thread, bounded by {@code maxConnections}. A client that reads too
 * slowly loses lines (counted and reported in the final message) instead of slowing the traced
 * process: the capture thread only ever offers lines to a bounded queue.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
  private static final ObjectNode END = Wire.JSON.createObjectNode();
  private static final int QUEUE_LINES = 10_000;

  private final CaptureManager captures;
  private final RequestAuth auth;
  private final ReplayGuard replays;
  private final int requestTimeoutMillis;
  private final Semaphore slots;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ServerSocket server;
  private final Thread acceptor;
  private volatile boolean closing;

  /** Counters for the metrics log. */
  public final AtomicLong connections = new AtomicLong();

  public final AtomicLong authFailures = new AtomicLong();
  public final AtomicLong replaysRefused = new AtomicLong();
  public final AtomicLong malformed = new AtomicLong();
  public final AtomicLong linesSent = new AtomicLong();
  public final AtomicLong linesDropped = new AtomicLong();

  /**
   * Binds and starts accepting.
   *
   * @throws IOException when the address cannot be bound
   */
  public ControlServer(
      InetSocketAddress address,
      CaptureManager captures,
      RequestAuth auth,
      ReplayGuard replays,
      int maxConnections,
      int requestTimeoutMillis)
      throws IOException {
    this.captures = captures;
    this.auth = auth;
    this.replays = replays;
    this.requestTimeoutMillis = requestTimeoutMillis;
    this.slots = new Semaphore(maxConnections);
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(address, 64);
    this.acceptor = new Thread(this::acceptLoop, "control-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    LOG.info("control port listening on {}", server.getLocalSocketAddress());
  }

  /** The bound port (useful when configured as 0). */
  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closing) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (!closing) {
          LOG.warn("accept failed: {}", e.toString());
          sleepQuietly(100);
        }
        continue;
      }
      connections.incrementAndGet();
      if (!slots.tryAcquire()) {
        LOG.warn("refusing connection from {}: too many connections", s.getRemoteSocketAddress());
        try (s) {
          Wire.write(s.getOutputStream(), error("busy: too many connections"));
        } catch (IOException ignored) {
          // the client is gone anyway
        }
        continue;
      }
      open.add(s);
      Thread t =
          new Thread(
              () -> {
                try {
                  handle(s);
                } finally {
                  open.remove(s);
                  slots.release();
                }
              },
              "control-" + s.getRemoteSocketAddress());
      t.setDaemon(true);
      t.start();
    }
  }

  private void handle(Socket s) {
    String peer = String.valueOf(s.getRemoteSocketAddress());
    try (s) {
      s.setSoTimeout(requestTimeoutMillis);
      s.setTcpNoDelay(true);
      OutputStream out = new BufferedOutputStream(s.getOutputStream());
      BufferedReader in = Wire.reader(s.getInputStream());
      String challenge = RequestAuth.newNonce();
      ObjectNode hello = Wire.message("hello");
      hello.put("protocol", Wire.PROTOCOL);
      hello.put("nonce", challenge);
      Wire.write(out, hello);

      String line = Wire.readLine(in);
      if (line == null) {
        return;
      }
      ControlRequest req;
      String mac;
      try {
        JsonNode j = Wire.parse(line);
        req = parseRequest(j);
        mac = j.path("mac").asText(null);
      } catch (IOException | IllegalArgumentException e) {
        malformed.incrementAndGet();
        LOG.warn("refused malformed request from {}: {}", peer, e.getMessage());
        Wire.write(out, error("malformed request: " + e.getMessage()));
        return;
      }
      // MAC first: unauthenticated traffic must not be able to fill the replay memory.
      if (!auth.verify(challenge, req, mac)) {
        authFailures.incrementAndGet();
        LOG.warn(
            "refused unauthenticated request from {} (op {}, pid {}): bad or missing MAC",
            peer,
            req.op(),
            req.pid());
        Wire.write(out, error("authentication failed"));
        return;
      }
      String replay = replays.check(req.timestamp(), req.nonce(), System.currentTimeMillis());
      if (replay != null) {
        replaysRefused.incrementAndGet();
        LOG.warn("refused request from {} (op {}, pid {}): {}", peer, req.op(), req.pid(), replay);
        Wire.write(out, error("request refused: " + replay));
        return;
      }
      LOG.info("request from {}: {} pid {}", peer, req.op(), req.pid());
      switch (req.op()) {
        case ControlRequest.CAPTURE -> capture(s, in, out, req);
        case ControlRequest.STOP -> {
          boolean stopped = captures.stop(req.pid(), "stopped by request");
          ObjectNode ok = ok(req.op());
          ok.put("pid", req.pid());
          ok.put("stopped", stopped);
          Wire.write(out, ok);
        }
        case ControlRequest.STATUS -> Wire.write(out, status());
        default -> Wire.write(out, error("unknown op '" + req.op() + "'"));
      }
    } catch (SocketTimeoutException e) {
      LOG.warn("connection from {} sent no request in time", peer);
    } catch (IOException e) {
      LOG.debug("connection from {} ended: {}", peer, e.toString());
    }
  }

  private static ControlRequest parseRequest(JsonNode j) throws IOException {
    String op = text(j, "op");
    String nonce = text(j, "nonce");
    JsonNode ts = j.get("timestamp");
    if (ts == null || !ts.canConvertToLong()) {
      throw new IOException("timestamp (milliseconds since the epoch) is required");
    }
    JsonNode pidNode = j.get("pid");
    int pid = 0;
    if (pidNode != null && !pidNode.isNull()) {
      if (!pidNode.canConvertToInt()) {
        throw new IOException("pid must be an integer");
      }
      pid = pidNode.asInt();
    }
    JsonNode re = j.get("regex");
    String regex = re == null || re.isNull() ? null : re.asText();
    return new ControlRequest(op, pid, regex, ts.asLong(), nonce);
  }

  private static String text(JsonNode j, String field) throws IOException {
    JsonNode n = j.get(field);
    if (n == null || !n.isTextual()) {
      throw new IOException(field + " is required");
    }
    return n.asText();
  }

  private void capture(Socket s, BufferedReader in, OutputStream out, ControlRequest req)
      throws IOException {
    BlockingQueue<ObjectNode> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    AtomicLong dropped = new AtomicLong();
    String[] endReason = new String[1];
    CaptureSink sink =
        new CaptureSink() {
          @Override
          public void line(CapturedLine l) {
            ObjectNode m = Wire.message("line");
            m.put("pid", l.pid());
            m.put("fd", l.fd());
            m.put("time", l.time().toString());
            m.put("text", l.text());
            if (!queue.offer(m)) {
              dropped.incrementAndGet();
              linesDropped.incrementAndGet();
            }
          }

          @Override
          public void end(String reason) {
            synchronized (endReason) {
              endReason[0] = reason;
            }
            queue.offer(END);
          }
        };
    CaptureManager.Subscription sub;
    try {
      sub = captures.capture(req.pid(), req.regex(), sink);
    } catch (CaptureRefusedException e) {
      LOG.info("capture of pid {} refused: {}", req.pid(), e.getMessage());
      Wire.write(out, error(e.getMessage()));
      return;
    }
    try (sub) {
      ObjectNode ok = ok(req.op());
      ok.put("pid", req.pid());
      ok.put("mode", sub.mode());
      Wire.write(out, ok);
      s.setSoTimeout(0);
      // The client sends nothing more; end of its stream means it hung up.
      Thread eof =
          new Thread(
              () -> {
                try {
                  while (in.read() >= 0) {
                    // ignore
                  }
                } catch (IOException ignored) {
                  // reset or closed: same as hanging up
                }
                sub.close();
                queue.offer(END);
              },
              "control-eof-" + req.pid());
      eof.setDaemon(true);
      eof.start();
      while (true) {
        ObjectNode m = queue.poll(1, TimeUnit.SECONDS);
        if (m == END) {
          break;
        }
        if (m != null) {
          Wire.write(out, m);
          linesSent.incrementAndGet();
        }
      }
      String reason;
      synchronized (endReason) {
        reason = endReason[0] == null ? "client hung up" : endReason[0];
      }
      ObjectNode end = Wire.message("end");
      end.put("pid", req.pid());
      end.put("reason", reason);
      end.put("dropped", dropped.get());
      Wire.write(out, end);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ObjectNode status() {
    ObjectNode m = Wire.message("status");
    ArrayNode list = m.putArray("captures");
    for (CaptureStatus c : captures.status()) {
      ObjectNode n = list.addObject();
      n.put("pid", c.pid());
      n.put("mode", c.mode());
      n.put("since", c.since().toString());
      n.put("requesters", c.requesters());
      n.put("linesSeen", c.linesSeen());
      n.put("linesMatched", c.linesMatched());
      n.put("cpuPercent", c.cpuPercent());
    }
    return m;
  }

  private static ObjectNode ok(String op) {
    ObjectNode n = Wire.message("ok");
    n.put("op", op);
    return n;
  }

  private static ObjectNode error(String reason) {
    ObjectNode n = Wire.message("error");
    n.put("reason", reason);
    return n;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops accepting and closes every open connection. */
  @Override
  public void close() {
    closing = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    // Give handlers a moment to send their final "end" line (captures were stopped before).
    long deadline = System.currentTimeMillis() + 2000;
    while (!open.isEmpty() && System.currentTimeMillis() < deadline) {
      sleepQuietly(20);
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
