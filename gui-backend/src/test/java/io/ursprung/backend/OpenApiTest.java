package io.ursprung.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ursprung.backend.http.Route;
import java.io.InputStream;
import java.time.Clock;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the registered routes describe the same API. */
class OpenApiTest {

  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedPathIsRouted() throws Exception {
    JsonNode doc;
    try (InputStream in = Backend.class.getResourceAsStream("/openapi.yaml")) {
      doc = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              m -> {
                if (METHODS.contains(m)) {
                  documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
              });
    }
    Fakes fakes = new Fakes();
    BackendConfig config = BackendConfig.defaults(Map.of());
    Set<String> routed = new TreeSet<>();
    try (Backend b = Backend.create(config, fakes.services(), Clock.systemUTC())) {
      for (Route r : b.routes()) {
        routed.add(r.method() + " " + r.path());
      }
    }
    assertEquals(documented, routed);
  }
}
