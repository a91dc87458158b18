package io.ursprung.consumer.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ursprung.rules.Position;
import io.ursprung.rules.Target;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void quotedFieldsHoldCommasQuotesAndLineBreaks() throws Exception {
    Csv csv = new Csv(new StringReader("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"x\ny\",,z\n\n"));
    assertEquals(List.of("a", "b,c", "say \"hi\""), csv.next());
    assertEquals(List.of("x\ny", "", "z"), csv.next());
    assertEquals(List.of(""), csv.next());
    assertNull(csv.next());
  }

  @Test
  void anUnterminatedQuoteIsAnError() {
    Csv csv = new Csv(new StringReader("\"open,1\n"));
    assertThrows(IOException.class, csv::next);
  }

  @Test
  void headerNamesMapColumnsWhateverTheirOrder() {
    Target.Db t =
        new Target.Db("prov", "eval", List.of("path", "time", "model", "metric_value"), pos());
    assertEquals(
        List.of(0, 2), toList(DbLoadAction.byName(List.of("Model", "x", "metricValue"), t)));
    // The header does not name the columns: by position.
    assertNull(DbLoadAction.byName(List.of("a", "b"), t));
    assertNull(DbLoadAction.byName(List.of("model"), new Target.File("/tmp/x", pos())));
  }

  @Test
  void fileRecordsAreCommaSeparatedAndQuotedWhenNeeded() {
    assertEquals(
        "a,\"b,c\",\"q\"\"\",", Outputs.csvLine(java.util.Arrays.asList("a", "b,c", "q\"", null)));
  }

  private static List<Integer> toList(int[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }

  private static Position pos() {
    return new Position(1, 1);
  }
}
