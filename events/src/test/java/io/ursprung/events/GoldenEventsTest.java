package io.ursprung.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden example validates against the schema and survives a round trip unchanged. */
class GoldenEventsTest {

  private static final EventCodec CODEC = new EventCodec();

  static JsonSchema schema() throws IOException {
    try (InputStream in = EventCodec.class.getResourceAsStream("event-v1.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }

  static List<Path> goldenFiles() throws IOException, URISyntaxException {
    Path dir = Path.of(GoldenEventsTest.class.getResource("/golden").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void goldenExampleValidatesAgainstSchema(Path file) throws IOException {
    JsonNode doc = CODEC.mapper().readTree(file.toFile());
    Set<ValidationMessage> errors = schema().validate(doc);
    assertTrue(errors.isEmpty(), () -> file.getFileName() + " violates the schema: " + errors);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void goldenExampleRoundTripsUnchanged(Path file) throws Exception {
    String original = Files.readString(file).strip();
    ProvEvent event = CODEC.fromJson(original);
    String written = CODEC.toJson(event);
    assertEquals(CODEC.mapper().readTree(original), CODEC.mapper().readTree(written));
    // Field order is part of "unchanged" too: the golden files are written in codec order.
    assertEquals(original, written, "byte-for-byte round trip of " + file.getFileName());
    // And what we write is itself valid.
    assertTrue(schema().validate(CODEC.mapper().readTree(written)).isEmpty());
  }

  @Test
  void everyEventTypeHasAGoldenExample() throws Exception {
    Set<EventType> seen = EnumSet.noneOf(EventType.class);
    for (Path file : goldenFiles()) {
      seen.add(CODEC.fromJson(Files.readString(file)).type());
    }
    assertEquals(EnumSet.allOf(EventType.class), seen);
  }
}
