package io.ursprung.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuleIdTest {

  private static RuleId id(String text) throws RuleFileException {
    List<Rule> rules = RuleParser.parse("t.rules", text).rules();
    assertEquals(1, rules.size(), text);
    return rules.get(0).id();
  }

  @Test
  void reformattingKeepsTheIdentity() throws Exception {
    RuleId base =
        id(
            "op = close && path @ \"/logs/.*\\.log\" -> LOGLOAD path MATCH WARN FIELDS 0,1-e"
                + " DELIM \" \" INTO DB prov USING logs/a,b");
    List<String> variants =
        List.of(
            "op=close&&path@/logs/.*\\.log->LOGLOAD path MATCH WARN FIELDS 0,1-e DELIM \" \" INTO DB prov USING logs/a,b",
            "(op = close) & (path @ \"/logs/.*\\.log\") -> LOGLOAD path MATCH \"WARN\" FIELDS 0, 1-e DELIM \" \" INTO DB prov USING logs / a, b",
            "  op = close \\\n\t&& path @ \"/logs/.*\\.log\" \\\n  -> LOGLOAD path MATCH WARN \\\n FIELDS 0,1-e DELIM \" \" INTO DB prov USING logs/a,b   ",
            "# a comment does not belong to the rule\nop = close && path @ \"/logs/.*\\.log\" -> LOGLOAD path MATCH WARN FIELDS 0,1-e DELIM \" \" INTO DB prov USING logs/a,b\n");
    for (String v : variants) {
      assertEquals(base, id(v), v);
    }
  }

  @Test
  void associativityAndRedundantParenthesesDoNotMatter() throws Exception {
    assertEquals(
        id("(pid=1 && pid=2) && pid=3 -> ALERT \"x\""),
        id("pid=1 && (pid=2 && pid=3) -> ALERT \"x\""));
    assertEquals(
        id("(pid=1 || pid=2) || pid=3 -> ALERT \"x\""),
        id("pid=1 || (pid=2 || pid=3) -> ALERT \"x\""));
  }

  @Test
  void changingTheMeaningChangesTheIdentity() throws Exception {
    RuleId base = id("op = close -> ALERT \"x\"");
    for (String other :
        List.of(
            "op = open -> ALERT \"x\"",
            "op != close -> ALERT \"x\"",
            "op = close -> ALERT \"y\"",
            "op = close -> ALERT \"x\" INTO FILE /tmp/a",
            "op = close -> ALERT \"x\"; ALERT \"x\"",
            "!(op = close) -> ALERT \"x\"")) {
      assertNotEquals(base, id(other), other);
    }
    assertNotEquals(
        id("pid=1 || pid=2 && pid=3 -> ALERT \"x\""),
        id("(pid=1 || pid=2) && pid=3 -> ALERT \"x\""));
  }

  @Test
  void idIsTheTruncatedSha256OfTheNormalizedText() throws Exception {
    Rule rule = RuleParser.parse("t.rules", "op=close->ALERT \"x\"").rules().get(0);
    assertEquals("op = \"close\" -> ALERT \"x\"", rule.normalizedText());
    assertEquals(RuleId.of(rule.normalizedText()), rule.id());
    assertEquals(32, rule.id().hex().length());
  }
}
