package io.ursprung.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The AST the parser builds; error messages are covered by the corpus. */
class ParserTest {

  private static Rule rule(String text) throws RuleFileException {
    return RuleParser.parse("t.rules", text).rules().get(0);
  }

  @Test
  void logLoadArgumentsBecomeTypedFields() throws Exception {
    Rule r =
        rule(
            "op = close -> LOGLOAD path MATCH \"WARN|ERROR\" FIELDS pid,3,4-e,0-1/-2,5/8,1+3+5,2-3"
                + " DELIM \" \" INTO DB prov USING public.logs/a,b");
    Action.LogLoad a = assertInstanceOf(Action.LogLoad.class, r.actions().get(0));
    assertEquals("path", a.field());
    assertEquals("WARN|ERROR", a.match().source());
    assertEquals(
        List.of(
            new FieldSpec.EventField("pid"),
            new FieldSpec.Token(3),
            new FieldSpec.Range(4, FieldSpec.END),
            new FieldSpec.Timestamp(0, 1, -2),
            new FieldSpec.Timestamp(5, 5, 8),
            new FieldSpec.Concat(List.of(1, 3, 5)),
            new FieldSpec.Range(2, 3)),
        a.fields());
    assertEquals(" ", a.delimiter());
    Target.Db db = assertInstanceOf(Target.Db.class, a.target());
    assertEquals("prov", db.alias());
    assertEquals("public.logs", db.table());
    assertEquals(List.of("a", "b"), db.columns());
    assertEquals(new Position(1, 15), a.position());
  }

  @Test
  void keywordsAreWholeWordsNotSubstrings() throws Exception {
    // The original searched for 'DB', 'AT', 'FROM' anywhere and misparsed all of these.
    Action.DbLoad load =
        (Action.DbLoad) rule("op = close -> DBLOAD path INTO FILE /tmp/DBout").actions().get(0);
    assertEquals(new Target.File("/tmp/DBout", new Position(1, 37)), load.target());
    Action.Track track =
        (Action.Track) rule("op = close -> TRACK /DATA/ATLAS/.* INTO FILE out").actions().get(0);
    assertEquals("/DATA/ATLAS/.*", track.pathRegex().source());
    assertEquals(Optional.empty(), track.repository());
    Action.DbTransfer transfer =
        (Action.DbTransfer)
            rule("op = close -> DBTRANSFER \"SELECT id, ts FROM jobs WHERE ts/2 > 0 INTO x\" / ts"
                    + " FROM sched INTO FILE out")
                .actions()
                .get(0);
    assertEquals("SELECT id, ts FROM jobs WHERE ts/2 > 0 INTO x", transfer.query());
    assertEquals("ts", transfer.stateAttribute());
    assertEquals("sched", transfer.source());
  }

  @Test
  void unquotedQueryEndsAtFromAndSplitsAtTheLastSlash() throws Exception {
    Action.DbTransfer t =
        (Action.DbTransfer)
            rule("op = close -> DBTRANSFER select a/b, ts from t/ts FROM src INTO FILE o")
                .actions()
                .get(0);
    assertEquals("select a/b, ts from t", t.query());
    assertEquals("ts", t.stateAttribute());
  }

  @Test
  void conditionTreeIsFlattenedAndNested() throws Exception {
    Condition c = rule("pid=1 || pid=2 && !(pid=3 || pid=4) -> ALERT \"x\"").condition();
    Condition.Or or = assertInstanceOf(Condition.Or.class, c);
    assertEquals(2, or.operands().size());
    Condition.And and = assertInstanceOf(Condition.And.class, or.operands().get(1));
    Condition.Not not = assertInstanceOf(Condition.Not.class, and.operands().get(1));
    assertEquals(2, assertInstanceOf(Condition.Or.class, not.operand()).operands().size());
  }

  @Test
  void stringEscapesAndRegexErrorPositionsInsideStrings() throws Exception {
    Condition.Comparison c =
        (Condition.Comparison) rule("path = \"a\\\"b\\\\c\\d\\n\" -> ALERT \"x\"").condition();
    assertEquals("a\"b\\c\\d\n", c.value(), "unknown escapes such as \\d stay as written");
    // The error points at the bad character even after escapes: col of '(' after \"\" .
    List<RuleError> errors = RuleParser.check("t.rules", "path @ \"\\\"\\\"(\" -> ALERT \"x\"");
    assertEquals(
        List.of(new RuleError("t.rules", 1, 13, "invalid regular expression: Unclosed group")),
        errors);
  }

  @Test
  void aTrailingBackslashAtTheEndOfTheFileIsNotAnError() throws Exception {
    Rule r = rule("op = close -> ALERT \"x\" \\");
    assertEquals("ALERT", r.actions().get(0).keyword());
  }

  @Test
  void everyActionIsReachableThroughTheVisitor() throws Exception {
    RuleSet set =
        RuleParser.parse(
            "t.rules",
            "op = close -> DBLOAD path INTO FILE a; DBTRANSFER q/ts FROM s INTO FILE b;"
                + " LOGLOAD path MATCH x FIELDS 0 DELIM , INTO FILE c; TRACK .* INTO FILE d;"
                + " CAPTURESOUT MATCH x FIELDS 0 DELIM , INTO FILE e; ALERT \"f\"");
    StringBuilder seen = new StringBuilder();
    for (Action a : set.rules().get(0).actions()) {
      seen.append(
          a.accept(
              new Action.Visitor<String>() {
                public String dbLoad(Action.DbLoad x) {
                  return "L";
                }

                public String dbTransfer(Action.DbTransfer x) {
                  return "T";
                }

                public String logLoad(Action.LogLoad x) {
                  return "G";
                }

                public String track(Action.Track x) {
                  return "K";
                }

                public String captureStdout(Action.CaptureStdout x) {
                  return "C";
                }

                public String alert(Action.Alert x) {
                  return "A";
                }
              }));
    }
    assertEquals("LTGKCA", seen.toString());
    assertTrue(set.rules().get(0).actions().get(5).optionalTarget().isEmpty());
  }
}
