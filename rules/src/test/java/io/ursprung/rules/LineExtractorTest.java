package io.ursprung.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ursprung.rules.fields.EventFields;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LineExtractorTest {

  private static final EventFields EVENT = EventFields.of(Map.of("pid", 4242L, "path", "/l.log"));

  private static List<FieldSpec> specs(String fields) throws RuleFileException {
    Rule r =
        RuleParser.parse(
                "t.rules",
                "op = close -> LOGLOAD path MATCH x FIELDS " + fields + " DELIM , INTO FILE o")
            .rules()
            .get(0);
    return ((Action.LogLoad) r.actions().get(0)).fields();
  }

  @Test
  void theOriginalsLogLoadExample() throws Exception {
    assertEquals(
        List.of("second line", "some-entry", "3 4 5"),
        LineExtractor.extract(
            "second line,some-entry,matches,3,4,5", ",", specs("0,1,3-5"), EVENT));
  }

  @Test
  void everySpecKind() throws Exception {
    assertEquals(
        List.of("4242", "/l.log", "WARN", "disk almost full", "2020-07-01 14:00:00", "WARNh1"),
        LineExtractor.extract(
            "2020-07-01 12:00:00 WARN h1 disk almost full".replace(' ', '|'),
            "|",
            specs("pid,path,2,4-e,0-1/2,2+3"),
            EVENT));
  }

  @Test
  void compositeAsLastFieldHasNoStrayComma() throws Exception {
    assertEquals(List.of("a", "bc"), LineExtractor.extract("a,b,c", ",", specs("0,1+2"), EVENT));
  }

  @Test
  void timestampOffsetsRollOverMonthsAndLeapDays() throws Exception {
    assertEquals(
        List.of("2024-03-01 01:00:00"),
        LineExtractor.extract("2024-02-29 23:00:00,x", ",", specs("0/2"), EVENT));
    assertEquals(
        List.of("2023-12-31 22:00:00"),
        LineExtractor.extract("2024-01-01 01:00:00", ",", specs("0/-3"), EVENT));
  }

  @Test
  void shortLinesAndBadTimestampsAreRefusedNotCrashed() throws Exception {
    var e =
        assertThrows(
            LineExtractor.MismatchException.class,
            () -> LineExtractor.extract("a,b", ",", specs("0,5"), EVENT));
    assertEquals("field 5 needs token 5 but the line has 2 tokens", e.getMessage());
    assertThrows(
        LineExtractor.MismatchException.class,
        () -> LineExtractor.extract("a,b", ",", specs("1-3"), EVENT));
    var t =
        assertThrows(
            LineExtractor.MismatchException.class,
            () -> LineExtractor.extract("yesterday,b", ",", specs("0/1"), EVENT));
    assertEquals("field 0/1: 'yesterday' is not a yyyy-MM-dd HH:mm:ss timestamp", t.getMessage());
  }

  @Test
  void splitKeepsEmptyTokensAndMissingEventFieldsAreEmpty() throws Exception {
    assertEquals(List.of("a", "", "b", ""), LineExtractor.split("a  b ", " "));
    assertEquals(List.of("a", "b"), LineExtractor.split("a::b", "::"));
    assertEquals(List.of(""), LineExtractor.extract("x", ",", specs("exitCode"), EVENT));
  }
}
