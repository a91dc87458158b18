package io.ursprung.provd.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineAssemblerTest {
  private final List<String> lines = new ArrayList<>();

  private void feed(LineAssembler a, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    a.feed(b, 0, b.length);
  }

  @Test
  void linesStraddleWritesAndWritesHoldManyLines() {
    LineAssembler a = new LineAssembler(1024, lines::add);
    feed(a, "METRIC ep");
    feed(a, "och=1\nMETRIC epoch=2\nMET");
    feed(a, "RIC epoch=3\n");
    assertEquals(List.of("METRIC epoch=1", "METRIC epoch=2", "METRIC epoch=3"), lines);
  }

  @Test
  void controlCharactersAndAnsiSequencesAreDropped() {
    LineAssembler a = new LineAssembler(1024, lines::add);
    feed(a, "\u001b[32mMETRIC\u001b[0m loss=0.5\r\n");
    feed(a, "progress 10%\rprogress 20%\n");
    feed(a, "tab\there\n");
    assertEquals(List.of("METRIC loss=0.5", "progress 10%progress 20%", "tab\there"), lines);
  }

  @Test
  void overlongLinesAreCutAndCounted() {
    LineAssembler a = new LineAssembler(5, lines::add);
    feed(a, "abcdefgh\nxy\n");
    assertEquals(List.of("abcde", "xy"), lines);
    assertEquals(1, a.truncatedLines());
  }

  @Test
  void utf8SplitAcrossWritesSurvivesAndFlushEmitsTheRest() {
    LineAssembler a = new LineAssembler(1024, lines::add);
    byte[] b = "Verlust=0.5 Größe\nrest".getBytes(StandardCharsets.UTF_8);
    a.feed(b, 0, 15);
    a.feed(b, 15, b.length - 15);
    a.flush();
    assertEquals(List.of("Verlust=0.5 Größe", "rest"), lines);
  }
}
