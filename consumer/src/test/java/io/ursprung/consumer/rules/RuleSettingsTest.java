package io.ursprung.consumer.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.config.Config;
import io.ursprung.config.ConfigDef;
import io.ursprung.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSettingsTest {

  private static Map<String, String> badAliases() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("rules.db.hr.url", "jdbc:mysql://db/hr");
    m.put("rules.db.hr.passwd", "x");
    m.put("rules.db.ops.user", "ops");
    m.put("rules.db.nodot", "x");
    m.put("rules.db.ok.url", "jdbc:postgresql://db/ok");
    return m;
  }

  @Test
  void everyProblemOfEveryAliasIsReportedTogether() {
    Map<String, String> raw = new LinkedHashMap<>();
    badAliases().forEach((k, v) -> raw.put(k.substring(RuleSettings.DB_PREFIX.length()), v));
    List<String> problems = RuleSettings.databaseProblems(raw);
    assertEquals(
        List.of(
            "rules.db.hr.passwd: expected rules.db.<alias>.url, .user or .password",
            "rules.db.nodot: expected rules.db.<alias>.url, .user or .password",
            "rules.db.hr.url: must be a PostgreSQL JDBC URL (jdbc:postgresql:...)",
            "rules.db.ops.url: is required for alias 'ops'"),
        problems);
  }

  @Test
  void aliasProblemsAreListedWithTheOtherKeysProblems() {
    Map<String, String> overrides = new LinkedHashMap<>(badAliases());
    overrides.put(RuleSettings.PROVD_PORT, "0");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> RuleSettings.declare(new ConfigDef()).load(null, Map.of(), overrides));
    assertEquals(5, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).startsWith(RuleSettings.PROVD_PORT), e.problems().toString());
  }

  @Test
  void goodAliasesAreRead() {
    Config c =
        RuleSettings.declare(new ConfigDef())
            .load(
                null,
                Map.of(),
                Map.of(
                    "rules.db.ok.url", "jdbc:postgresql://db/ok",
                    "rules.db.ok.user", "reader",
                    "rules.db.ok.password", "pw"));
    RuleSettings s = RuleSettings.from(c);
    assertEquals("reader", s.databases().get("ok").user());
    assertEquals("pw", s.databases().get("ok").password());
  }
}
