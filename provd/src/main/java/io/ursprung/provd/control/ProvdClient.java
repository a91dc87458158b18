package io.ursprung.provd.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.provd.capture.CaptureStatus;
import io.ursprung.provd.capture.CapturedLine;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Talks to a provd control port: start a capture and receive its lines, stop a capture, list
 * captures. Each call opens its own connection; instances are immutable and thread-safe.
 *
 * <pre>{@code
 * ProvdClient client = new ProvdClient("worker17", 7531, secret);
 * try (ProvdClient.Capture c = client.capture(pid, "epoch .*")) {
 *   for (CapturedLine l = c.next(); l != null; l = c.next()) { ... }
 *   String why = c.endReason();
 * }
 * }</pre>
 */
public final class ProvdClient {
  /** provd's default control port. */
  public static final int DEFAULT_PORT = 7531;

  private final String host;
  private final int port;
  private final RequestAuth auth;
  private final int connectTimeoutMillis;

  public ProvdClient(String host, int port, byte[] secret) {
    this(host, port, secret, 5000);
  }

  public ProvdClient(String host, int port, byte[] secret, int connectTimeoutMillis) {
    this.host = host;
    this.port = port;
    this.auth = new RequestAuth(secret);
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  /** A running capture: its lines as they come, then why it ended. Close to stop receiving. */
  public static final class Capture implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final String mode;
    private String endReason;
    private long dropped;

    private Capture(Socket socket, BufferedReader in, String mode) {
      this.socket = socket;
      this.in = in;
      this.mode = mode;
    }

    /** {@code file} or {@code ptrace}: how provd captures. */
    public String mode() {
      return mode;
    }

    /**
     * The next matching line, blocking until it comes; {@code null} when the capture ended (then
     * {@link #endReason()} says why).
     */
    public CapturedLine next() throws ProvdException {
      if (endReason != null) {
        return null;
      }
      try {
        while (true) {
          String line = Wire.readLine(in);
          if (line == null) {
            endReason = "connection closed by provd";
            return null;
          }
          JsonNode m = Wire.parse(line);
          switch (m.path("type").asText()) {
            case "line" -> {
              return new CapturedLine(
                  m.path("pid").asInt(),
                  m.path("fd").asInt(),
                  Instant.parse(m.path("time").asText()),
                  m.path("text").asText());
            }
            case "end" -> {
              endReason = m.path("reason").asText("ended");
              dropped = m.path("dropped").asLong();
              return null;
            }
            default -> {
              // unknown message types are for newer clients
            }
          }
        }
      } catch (IOException e) {
        throw new ProvdException("capture connection failed: " + e.getMessage(), e);
      }
    }

    /** Why the capture ended, once {@link #next()} returned {@code null}. */
    public String endReason() {
      return endReason;
    }

    /** Lines provd dropped because this client read too slowly. */
    public long dropped() {
      return dropped;
    }

    /** Hangs up; provd releases the capture when no other requester holds it. */
    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /**
   * Starts capturing the lines of {@code pid}'s stdout (and stderr) that match {@code regex}
   * entirely.
   *
   * @throws ProvdException when provd refuses (with its reason) or cannot be reached
   */
  public Capture capture(int pid, String regex) throws ProvdException {
    Socket s = connect();
    try {
      BufferedReader in = Wire.reader(s.getInputStream());
      JsonNode reply = request(s, in, ControlRequest.now(ControlRequest.CAPTURE, pid, regex));
      s.setSoTimeout(0);
      return new Capture(s, in, reply.path("mode").asText());
    } catch (IOException e) {
      closeQuietly(s);
      throw new ProvdException("provd at " + host + ":" + port + ": " + e.getMessage(), e);
    } catch (ProvdException e) {
      closeQuietly(s);
      throw e;
    }
  }

  /**
   * Captures until the capture ends, handing each line to {@code lines}.
   *
   * @return why the capture ended
   */
  public String capture(int pid, String regex, Consumer<CapturedLine> lines) throws ProvdException {
    try (Capture c = capture(pid, regex)) {
      for (CapturedLine l = c.next(); l != null; l = c.next()) {
        lines.accept(l);
      }
      return c.endReason();
    }
  }

  /**
   * Stops the capture of {@code pid} for every requester.
   *
   * @return whether there was one
   */
  public boolean stop(int pid) throws ProvdException {
    try (Socket s = connect()) {
      JsonNode reply =
          request(
              s,
              Wire.reader(s.getInputStream()),
              ControlRequest.now(ControlRequest.STOP, pid, null));
      return reply.path("stopped").asBoolean();
    } catch (IOException e) {
      throw new ProvdException("provd at " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** The captures provd is running. */
  public List<CaptureStatus> status() throws ProvdException {
    try (Socket s = connect()) {
      JsonNode reply =
          request(
              s,
              Wire.reader(s.getInputStream()),
              ControlRequest.now(ControlRequest.STATUS, 0, null));
      List<CaptureStatus> out = new ArrayList<>();
      for (JsonNode c : reply.path("captures")) {
        out.add(
            new CaptureStatus(
                c.path("pid").asInt(),
                c.path("mode").asText(),
                Instant.parse(c.path("since").asText()),
                c.path("requesters").asInt(),
                c.path("linesSeen").asLong(),
                c.path("linesMatched").asLong(),
                c.path("cpuPercent").asDouble()));
      }
      return out;
    } catch (IOException e) {
      throw new ProvdException("provd at " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private Socket connect() throws ProvdException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      s.setSoTimeout(30_000);
      s.setTcpNoDelay(true);
      return s;
    } catch (IOException e) {
      closeQuietly(s);
      throw new ProvdException("cannot connect to provd at " + host + ":" + port + ": " + e, e);
    }
  }

  private JsonNode request(Socket s, BufferedReader in, ControlRequest r)
      throws IOException, ProvdException {
    String helloLine = Wire.readLine(in);
    if (helloLine == null) {
      throw new IOException("provd closed the connection before its greeting");
    }
    JsonNode hello = Wire.parse(helloLine);
    if ("error".equals(hello.path("type").asText())) {
      throw new ProvdException(hello.path("reason").asText(), true);
    }
    if (!"hello".equals(hello.path("type").asText()) || !hello.path("nonce").isTextual()) {
      throw new IOException("not a provd greeting: " + helloLine);
    }
    ObjectNode req = Wire.JSON.createObjectNode();
    req.put("op", r.op());
    req.put("pid", r.pid());
    if (r.regex() != null) {
      req.put("regex", r.regex());
    }
    req.put("timestamp", r.timestamp());
    req.put("nonce", r.nonce());
    req.put("mac", auth.sign(hello.path("nonce").asText(), r));
    OutputStream out = new BufferedOutputStream(s.getOutputStream());
    Wire.write(out, req);
    String replyLine = Wire.readLine(in);
    if (replyLine == null) {
      throw new IOException("provd closed the connection without answering");
    }
    JsonNode reply = Wire.parse(replyLine);
    if ("error".equals(reply.path("type").asText())) {
      throw new ProvdException(reply.path("reason").asText(), true);
    }
    return reply;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
