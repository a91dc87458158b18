package io.ursprung.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.EventType;
import io.ursprung.rules.fields.FieldCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps {@code docs/rules.md} true: its examples load and its field tables match the catalog. */
class DocsTest {
  // Surefire runs in the module directory.
  private static final Path DOC = Path.of("..", "docs", "rules.md");

  private static String doc() throws Exception {
    return Files.readString(DOC, StandardCharsets.UTF_8);
  }

  @Test
  void everyRulesExampleLoads() throws Exception {
    Matcher m = Pattern.compile("```rules\n(.*?)```", Pattern.DOTALL).matcher(doc());
    int blocks = 0;
    while (m.find()) {
      blocks++;
      RuleSet rules = RuleParser.parse("rules.md example " + blocks, m.group(1));
      assertTrue(!rules.rules().isEmpty(), m.group(1));
    }
    assertTrue(blocks >= 8, "found " + blocks + " examples");
  }

  @Test
  void fieldTablesListExactlyTheCataloguedFields() throws Exception {
    String doc = doc();
    assertEquals(names(FieldCatalog.common()), tableAfter(doc, "#### Every event"));
    for (EventType type : EventType.values()) {
      assertEquals(
          names(FieldCatalog.fieldsOf(type)),
          tableAfter(doc, "#### `" + type.wireName() + "`"),
          type.wireName());
    }
  }

  private static List<String> names(List<FieldCatalog.Field> fields) {
    return fields.stream().map(FieldCatalog.Field::name).toList();
  }

  private static List<String> tableAfter(String doc, String heading) {
    int at = doc.indexOf(heading + "\n");
    assertTrue(at >= 0, "docs/rules.md has a section " + heading);
    List<String> names = new ArrayList<>();
    boolean inTable = false;
    for (String line : doc.substring(at + heading.length() + 1).split("\n")) {
      if (line.startsWith("| `")) {
        inTable = true;
        names.add(line.substring(3, line.indexOf('`', 3)));
      } else if (inTable) {
        break;
      }
    }
    return names;
  }
}
