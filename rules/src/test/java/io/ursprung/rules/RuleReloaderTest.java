package io.ursprung.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.rules.fields.EventFields;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleReloaderTest {
  @TempDir Path dir;

  private Path write(String text) throws Exception {
    Path file = dir.resolve("rules.txt");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void aBadFileAtStartUpIsRejectedWithEveryError() throws Exception {
    Path file = write("op == close -> ALERT \"a\"\nop = close -> NOPE\n");
    RuleFileException e =
        assertThrows(RuleFileException.class, () -> RuleReloader.start(file, new RuleFileLoader()));
    assertEquals(2, e.errors().size());
    assertEquals("rules.txt", e.errors().get(0).file());
  }

  @Test
  void aBadReloadKeepsTheRulesInForce() throws Exception {
    Path file = write("op = close -> ALERT \"a\"\n");
    RuleReloader reloader = RuleReloader.start(file, new RuleFileLoader());
    RuleSet before = reloader.current();
    RuleMatcher matcherBefore = reloader.matcher();

    write("op = close -> ALERT \"a\"\npath == x -> ALERT \"b\"\n");
    RuleReloader.ReloadResult result = reloader.reload();
    assertFalse(result.applied());
    assertEquals(
        List.of(
            "rules.txt:2:6: expected an operator (=, !=, <, >, <=, >=, @) after field 'path',"
                + " found '=='"),
        result.errors().stream().map(RuleError::toString).toList());
    assertSame(before, reloader.current());
    assertSame(matcherBefore, reloader.matcher());
    assertSame(before, result.current());
  }

  @Test
  void aGoodReloadSwapsRulesAndReportsWhatChanged() throws Exception {
    Path file = write("op = close -> ALERT \"a\"\nop = open -> ALERT \"b\"\n");
    RuleReloader reloader = RuleReloader.start(file, new RuleFileLoader());
    RuleId kept = reloader.current().rules().get(0).id();
    RuleId dropped = reloader.current().rules().get(1).id();

    // Reformatting the first rule keeps its identity; the second is replaced.
    write("op=close->ALERT \"a\"\nop = rename -> ALERT \"c\"\n");
    RuleReloader.ReloadResult result = reloader.reload();
    assertTrue(result.applied());
    assertEquals(List.of(), result.errors());
    assertEquals(Set.of(dropped), result.removed());
    RuleId added = reloader.current().rules().get(1).id();
    assertEquals(Set.of(added), result.added());
    assertEquals(kept, reloader.current().rules().get(0).id());
    assertEquals(1, reloader.matcher().matching(EventFields.of(Events.close("/x", true))).size());
  }

  @Test
  void aMissingOrNonUtf8FileIsAnErrorNotACrash() throws Exception {
    Path file = write("op = close -> ALERT \"a\"\n");
    RuleReloader reloader = RuleReloader.start(file, new RuleFileLoader());
    Files.delete(file);
    RuleReloader.ReloadResult gone = reloader.reload();
    assertFalse(gone.applied());
    assertTrue(gone.errors().get(0).message().startsWith("cannot read the rule file"));
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
    assertEquals(
        "rules.txt:1:1: the rule file is not valid UTF-8",
        reloader.reload().errors().get(0).toString());
    assertEquals(1, reloader.current().rules().size());
  }

  @Test
  void databaseAliasesAreCheckedAgainstTheConfiguration() throws Exception {
    Path file =
        write(
            "op = close -> DBLOAD path INTO DB prov USING t/a\n"
                + "op = open -> DBTRANSFER q/ts FROM sched INTO DB nope USING t/a\n");
    RuleFileLoader loader =
        new RuleFileLoader(List.of(RuleValidator.databaseAliases(Set.of("prov"))));
    RuleFileException e = assertThrows(RuleFileException.class, () -> loader.load(file));
    assertEquals(
        List.of(
            "rules.txt:2:35: unknown database alias 'sched'; configured aliases: prov",
            "rules.txt:2:49: unknown database alias 'nope'; configured aliases: prov"),
        e.errors().stream().map(RuleError::toString).toList());
    new RuleFileLoader(List.of(RuleValidator.databaseAliases(Set.of("prov", "sched", "nope"))))
        .load(file);
  }
}
