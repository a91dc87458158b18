package io.ursprung.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The few calls to a master's REST API that {@code run} and {@code demo} need. */
final class MasterApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final String token;

  /**
   * @param base e.g. {@code http://127.0.0.1:3000}
   * @param token a bearer token, or null (then only the health check works)
   */
  MasterApi(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token;
  }

  String base() {
    return base;
  }

  boolean hasToken() {
    return token != null && !token.isBlank();
  }

  /** Whether a master answers its health check. */
  boolean healthy() {
    try {
      return get("/api/v1/health").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A GET under the base URL with the token, when there is one. */
  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10));
    if (hasToken()) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Whether the process is stored with its end (its exit is among the last events of a run, and a
   * host's events are stored in order, so this means the run is stored).
   */
  boolean processStoredWithEnd(String processId) throws IOException, InterruptedException {
    HttpResponse<String> r = get("/api/v1/processes/" + enc(processId));
    if (r.statusCode() != 200) {
      return false;
    }
    JsonNode p = JSON.readTree(r.body()).path("process");
    return !p.path("end").isMissingNode() && !p.path("end").isNull()
        || !p.path("exitCode").isMissingNode() && !p.path("exitCode").isNull();
  }

  /** The upstream lineage of a file ({@code {nodes, edges}}), or null when there is none yet. */
  JsonNode upstream(String path, String host) throws IOException, InterruptedException {
    HttpResponse<String> r =
        get(
            "/api/v1/lineage?path="
                + enc(path)
                + "&host="
                + enc(host)
                + "&direction=upstream&depth=20");
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
  }

  /** The API's (and the GUI's) id of a process: {@code p:<host>:<pid>:<start in µs>}. */
  static String processId(String host, int pid, Instant start) {
    Instant s = start.truncatedTo(ChronoUnit.MICROS);
    long micros = s.getEpochSecond() * 1_000_000L + s.getNano() / 1000;
    return "p:" + host + ":" + pid + ":" + micros;
  }

  /** The GUI's graph view, opened on one node. */
  String graphLink(String nodeId) {
    return base + "/#/graph?node=" + enc(nodeId);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
