package io.ursprung.provd.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursprung.provd.capture.CaptureLimits;
import io.ursprung.provd.capture.CaptureManager;
import io.ursprung.provd.capture.ProcFs;
import io.ursprung.provd.nativeaccess.LinuxNative;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control protocol over a real loopback socket: authentication, replays, malformed input. */
class ControlServerTest {
  private static final byte[] SECRET = "test-secret-0123456789".getBytes(StandardCharsets.UTF_8);

  private CaptureManager captures;
  private ControlServer server;

  @BeforeEach
  void start() throws Exception {
    captures = new CaptureManager(LinuxNative.load(), new ProcFs(), CaptureLimits.defaults());
    server =
        new ControlServer(
            new InetSocketAddress("127.0.0.1", 0),
            captures,
            new RequestAuth(SECRET),
            new ReplayGuard(30_000, 1000),
            4,
            5000);
  }

  @AfterEach
  void stop() {
    server.close();
    captures.close();
  }

  @Test
  void authenticatedStatusAndStopWork() throws Exception {
    ProvdClient client = new ProvdClient("127.0.0.1", server.port(), SECRET);
    assertTrue(client.status().isEmpty());
    assertFalse(client.stop(999_999));
  }

  @Test
  void aWrongSecretIsRefusedAndCounted() {
    ProvdClient client =
        new ProvdClient(
            "127.0.0.1", server.port(), "wrong-secret-0123456789".getBytes(StandardCharsets.UTF_8));
    ProvdException e = assertThrows(ProvdException.class, () -> client.capture(1, ".*"));
    assertTrue(e.refused());
    assertEquals("authentication failed", e.getMessage());
    assertEquals(1, server.authFailures.get());
  }

  @Test
  void aRequestWithoutMacIsRefused() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      BufferedReader in = Wire.reader(s.getInputStream());
      Wire.parse(Wire.readLine(in));
      ObjectNode req = Wire.JSON.createObjectNode();
      req.put("op", "status");
      req.put("timestamp", System.currentTimeMillis());
      req.put("nonce", RequestAuth.newNonce());
      Wire.write(s.getOutputStream(), req);
      JsonNode reply = Wire.parse(Wire.readLine(in));
      assertEquals("error", reply.path("type").asText());
      assertEquals("authentication failed", reply.path("reason").asText());
    }
  }

  @Test
  void aReusedNonceIsRefusedEvenWhenSignedForTheNewChallenge() throws Exception {
    RequestAuth auth = new RequestAuth(SECRET);
    ControlRequest r = ControlRequest.now("status", 0, null);
    assertEquals("status", send(auth, r).path("type").asText());
    JsonNode second = send(auth, r);
    assertEquals("error", second.path("type").asText());
    assertTrue(second.path("reason").asText().contains("replayed"), second.toString());
    assertEquals(1, server.replaysRefused.get());
  }

  @Test
  void aStaleTimestampIsRefused() throws Exception {
    RequestAuth auth = new RequestAuth(SECRET);
    ControlRequest r =
        new ControlRequest(
            "status", 0, null, System.currentTimeMillis() - 120_000, RequestAuth.newNonce());
    JsonNode reply = send(auth, r);
    assertEquals("error", reply.path("type").asText());
    assertTrue(reply.path("reason").asText().contains("ms off"), reply.toString());
  }

  @Test
  void malformedRequestsAreRefused() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      BufferedReader in = Wire.reader(s.getInputStream());
      Wire.readLine(in);
      OutputStream out = s.getOutputStream();
      out.write("not json\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      JsonNode reply = Wire.parse(Wire.readLine(in));
      assertTrue(reply.path("reason").asText().startsWith("malformed request"));
    }
    assertEquals(1, server.malformed.get());
  }

  @Test
  void captureRefusalsCarryTheReason() throws Exception {
    ProvdClient client = new ProvdClient("127.0.0.1", server.port(), SECRET);
    ProvdException e =
        assertThrows(ProvdException.class, () -> client.capture(Integer.MAX_VALUE - 1, ".*"));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    e = assertThrows(ProvdException.class, () -> client.capture(1, "(unclosed"));
    assertTrue(e.getMessage().contains("invalid regular expression"), e.getMessage());
    e =
        assertThrows(
            ProvdException.class, () -> client.capture((int) ProcessHandle.current().pid(), ".*"));
    assertTrue(e.getMessage().contains("itself"), e.getMessage());
  }

  private JsonNode send(RequestAuth auth, ControlRequest r) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      BufferedReader in = Wire.reader(s.getInputStream());
      JsonNode hello = Wire.parse(Wire.readLine(in));
      ObjectNode req = Wire.JSON.createObjectNode();
      req.put("op", r.op());
      req.put("pid", r.pid());
      req.put("timestamp", r.timestamp());
      req.put("nonce", r.nonce());
      req.put("mac", auth.sign(hello.path("nonce").asText(), r));
      Wire.write(s.getOutputStream(), req);
      return Wire.parse(Wire.readLine(in));
    }
  }
}
