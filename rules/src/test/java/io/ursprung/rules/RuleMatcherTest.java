package io.ursprung.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.ProvEvent;
import io.ursprung.rules.fields.EventFields;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleMatcherTest {

  private static boolean holds(String condition, ProvEvent event) throws RuleFileException {
    return holds(condition, EventFields.of(event));
  }

  private static boolean holds(String condition, EventFields event) throws RuleFileException {
    RuleSet rules = RuleParser.parse("t.rules", condition + " -> ALERT \"x\"");
    return RuleMatcher.compile(rules).matches(0, event);
  }

  @Test
  void equalityIsStringWiseForWordsAndNumericForNumbers() throws Exception {
    ProvEvent close = Events.close("/data/train.csv", true);
    // The original threw on non-numbers ('event=CLOSE' killed the consumer).
    assertTrue(holds("op = close", close));
    assertFalse(holds("op = CLOSE", close), "string comparison is case-sensitive");
    assertTrue(holds("op != open", close));
    assertTrue(holds("pid = 4242", close));
    assertTrue(holds("pid = 04242.0", close), "numbers compare by value");
    assertTrue(holds("pid = \"4242\"", close), "quoting does not make a number a string");
    assertTrue(holds("write = true", close));
    assertFalse(holds("write = false", close));
  }

  @Test
  void orderingIsNumericWhenBothSidesAreNumbers() throws Exception {
    ProvEvent close = Events.close("/data/train.csv", true);
    assertTrue(holds("pid > 999", close), "4242 > 999 numerically, not as strings");
    assertTrue(holds("pid < 10000 && pid <= 4242 && pid >= 4242", close));
    assertTrue(holds("path > /a", close), "strings compare lexicographically");
    assertFalse(holds("path < /a", close));
    assertTrue(
        holds("path < 5", close),
        "'/' sorts before '5': a word against a number compares as strings");
  }

  @Test
  void integersCompareExactlyBeyondDoublePrecision() throws Exception {
    EventFields big = EventFields.of(Map.of("inode", 9007199254740993L));
    assertTrue(holds("inode = 9007199254740993", big));
    assertFalse(holds("inode = 9007199254740992", big), "a double would call these equal");
    assertTrue(holds("inode < 18446744073709551615", big), "literals beyond long still compare");
  }

  @Test
  void regexIsAFullMatchWithClassesAndAlternation() throws Exception {
    ProvEvent close = Events.close("/models/resnet-v2.onnx", true);
    assertTrue(holds("path @ \"/models/[^/]+\\.(pt|onnx)\"", close));
    assertFalse(holds("path @ /models", close), "a full match, not a substring search");
    assertTrue(holds("path @ /models/.*", close));
    ProvEvent exec = Events.exec("/tmp/x/evil", "evil", "--lr=0.1", "a b");
    assertTrue(holds("argv @ \"evil --lr=0\\.1 a b\"", exec), "argv is joined by spaces");
    assertTrue(holds("argc = 3 && exe @ \"/tmp/.*\"", exec));
    assertTrue(holds("pid @ \"42.*\"", exec), "numbers match as their decimal string");
  }

  @Test
  void missingFieldsCompareFalseWhateverTheOperator() throws Exception {
    ProvEvent close = Events.close("/data/x", true);
    for (String op : List.of("=", "!=", "<", "<=", ">", ">=", "@")) {
      assertFalse(holds("exitCode " + op + " 1", close), op);
    }
    assertTrue(holds("!(exitCode = 1)", close), "negation of a missing comparison is true");
    assertFalse(holds("targetPath = x", close), "absent optional field of this kind");
  }

  @Test
  void booleanOperatorsAndPrecedence() throws Exception {
    EventFields e = EventFields.of(Map.of("pid", 1L, "ppid", 9L, "pgid", 5L));
    // The original's condition tests, with its fields f1, f2, f3 renamed.
    assertTrue(holds("pid>0 & ppid<10 & pgid=5", e));
    assertFalse(holds("pid>1 & ppid<9 & pgid=5", e));
    assertTrue(holds("(pid>1 & ppid<9) | pgid=5", e));
    assertTrue(holds("(pid>0 & ppid<10) | pgid=4", e));
    assertTrue(holds("pid=2 || pid=1 && ppid=9", e), "&& binds tighter than ||");
    assertFalse(holds("(pid=2 || pid=1) && ppid=8", e));
    assertTrue(holds("!pid=2", e), "! binds tighter than a comparison's operands");
    assertFalse(holds("!!pid=2", e));
    EventFields s = EventFields.of(Map.of("path", "s1 field", "exe", "s2 field", "pgid", 5L));
    assertTrue(holds("path @ \"s1.*\" && exe @ \"s2.*\"", s));
    assertFalse(holds("path @ s1 && exe @ \"s2.*\"", s));
    assertTrue(holds("(path @ s1 || exe @ \"s2.*\") && pgid = 5", s));
  }

  @Test
  void everyMatchingRuleIsReturnedInFileOrder() throws Exception {
    RuleSet rules =
        RuleParser.parse(
            "t.rules",
            String.join(
                "\n",
                "op = close -> ALERT \"a\"",
                "op = open -> ALERT \"b\"",
                "path @ \"/data/.*\" -> ALERT \"c\""));
    List<Rule> hits =
        RuleMatcher.compile(rules).matching(EventFields.of(Events.close("/data/x", true)));
    assertEquals(List.of(rules.rules().get(0), rules.rules().get(2)), hits);
  }

  @Test
  void aFailingConditionCountsAsNoMatchInsteadOfThrowing() throws Exception {
    RuleSet rules = RuleParser.parse("t.rules", "path = x -> ALERT \"a\"\npath = y -> ALERT \"b\"");
    RuleMatcher matcher = RuleMatcher.compile(rules);
    Map<String, Object> fields = new HashMap<>();
    EventFields broken =
        name -> {
          throw new IllegalStateException("broken event");
        };
    assertEquals(List.of(), matcher.matching(broken));
    assertEquals(2, matcher.evaluationFailures());
    fields.put("path", "y");
    assertEquals(List.of(rules.rules().get(1)), matcher.matching(EventFields.of(fields)));
  }

  @Test
  void theMlExamplesMatchTheirEvents() throws Exception {
    ProvEvent fromTmp = Events.exec("/tmp/payload", "/tmp/payload");
    ProvEvent python = Events.exec("/usr/bin/python3", "python3", "/home/alice/train.py");
    String tmpRule = "exe @ \"/tmp/.*\"";
    assertTrue(holds(tmpRule, fromTmp));
    assertFalse(holds(tmpRule, python));
    assertTrue(holds("exe @ \".*/python3?\" && argv @ \".*train\\.py.*\"", python));
    assertTrue(
        holds(
            "op = close && write = true && path @ \"/models/.*\\.(pt|onnx)\"",
            Events.close("/models/m.pt", true)));
    assertFalse(
        holds(
            "op = close && write = true && path @ \"/models/.*\\.(pt|onnx)\"",
            Events.close("/models/m.pt", false)),
        "a read-only close is not a new version");
  }
}
