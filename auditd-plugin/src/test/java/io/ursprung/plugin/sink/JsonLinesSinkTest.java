package io.ursprung.plugin.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ursprung.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {

  @Test
  void writesOneDecodableEventPerLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/events.jsonl");
    try (JsonLinesSink sink = JsonLinesSink.toFile(file)) {
      for (int i = 0; i < 3; i++) {
        sink.accept(TestEvents.exit("worker01", i));
      }
      sink.flush();
      assertEquals(3, sink.stats().sent());
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(3, lines.size());
    EventCodec codec = new EventCodec();
    for (int i = 0; i < 3; i++) {
      assertEquals(TestEvents.exit("worker01", i), codec.fromJson(lines.get(i)));
    }
  }
}
