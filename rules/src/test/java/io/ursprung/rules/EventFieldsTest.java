package io.ursprung.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.EventType;
import io.ursprung.events.FileAccess;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.Producer;
import io.ursprung.events.ProvEvent;
import io.ursprung.events.RawSyscall;
import io.ursprung.rules.fields.EventFields;
import io.ursprung.rules.fields.FieldCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFieldsTest {

  private static final ProcessRef PROC =
      new ProcessRef(4242, Instant.parse("2026-11-20T09:00:00Z"));

  @Test
  void everyCataloguedFieldIsProducedForAFullyPopulatedEventOfItsKind() {
    Set<EventType> seen = EnumSet.noneOf(EventType.class);
    for (ProvEvent event : Events.everyKind()) {
      seen.add(event.type());
      EventFields fields = EventFields.of(event);
      List<String> missing = new ArrayList<>();
      for (FieldCatalog.Field f : FieldCatalog.common()) {
        if (fields.get(f.name()) == null) {
          missing.add(f.name());
        }
      }
      for (FieldCatalog.Field f : FieldCatalog.fieldsOf(event.type())) {
        String name = example(f.name());
        // Some fields exclude each other (an inet socket has no path); one example has each.
        boolean inSome =
            Events.everyKind().stream()
                .filter(e -> e.type() == event.type())
                .anyMatch(e -> EventFields.of(e).get(name) != null);
        if (!inSome) {
          missing.add(name);
        }
      }
      assertEquals(List.of(), missing, event.type().wireName());
      // Names of other kinds are absent, not leaked from a shared switch.
      for (String name : FieldCatalog.fixedNames()) {
        boolean declared =
            FieldCatalog.common().stream().anyMatch(f -> f.name().equals(name))
                || FieldCatalog.fieldsOf(event.type()).stream()
                    .anyMatch(f -> f.name().equals(name));
        if (!declared) {
          assertNull(fields.get(name), event.type().wireName() + " has no " + name);
        }
      }
    }
    assertEquals(EnumSet.allOf(EventType.class), seen, "the test covers every kind");
  }

  @Test
  void valuesHaveTheDocumentedTypes() {
    EventFields f =
        EventFields.of(
            ProvEvent.of(
                "h:1:0",
                new Producer("p", "1"),
                "worker01",
                Instant.parse("2026-11-20T09:14:03.512Z"),
                new FileAccess(
                    PROC,
                    FileAccess.Op.CLOSE,
                    "/data/x",
                    12L,
                    null,
                    3,
                    null,
                    null,
                    true,
                    null,
                    null,
                    null,
                    null,
                    null)));
    assertEquals("file.access", f.get("type"));
    assertEquals("close", f.get("op"));
    assertEquals(4242L, f.get("pid"));
    assertEquals(3L, f.get("fd"), "every integer is a Long");
    assertEquals(Boolean.TRUE, f.get("write"));
    assertEquals("2026-11-20T09:14:03.512Z", f.get("time"));
    assertEquals("2026-11-20T09:00:00.000Z", f.get("processStart"));
    assertNull(f.get("read"), "absent optional fields are null");
    assertNull(f.get("nonsense"));
  }

  @Test
  void auditRecordFieldsComeFromTheFirstRecordOfTheirType() {
    EventFields f =
        EventFields.of(
            ProvEvent.of(
                "h:1:0",
                new Producer("p", "1"),
                "h",
                Instant.EPOCH,
                new RawSyscall(
                    1,
                    "execve",
                    null,
                    0L,
                    List.of(
                        new RawSyscall.Record("EXECVE", Map.of("a0", "python3")),
                        new RawSyscall.Record("PATH", Map.of("name", "/usr/bin/python3")),
                        new RawSyscall.Record("PATH", Map.of("name", "/lib/ld.so"))))));
    assertEquals("python3", f.get("rec.EXECVE.a0"));
    assertEquals("/usr/bin/python3", f.get("rec.PATH.name"));
    assertNull(f.get("rec.CWD.cwd"));
    assertNull(f.get("pid"), "a syscall event without a process has no pid");
  }

  @Test
  void catalogueAcceptsFamiliesAndSuggestsNearNames() {
    assertTrue(FieldCatalog.isKnown("attr.queue"));
    assertTrue(FieldCatalog.isKnown("rec.SYSCALL.a0"));
    assertFalse(FieldCatalog.isKnown("attr."));
    assertFalse(FieldCatalog.isKnown("rec.SYSCALL"));
    assertFalse(FieldCatalog.isKnown("rec..a0"));
    assertEquals("targetPath", FieldCatalog.closest("targetpath").orElseThrow());
    assertEquals("exitCode", FieldCatalog.closest("exitcod").orElseThrow());
    assertTrue(FieldCatalog.closest("completelydifferent").isEmpty());
  }

  private static String example(String name) {
    if (name.startsWith(FieldCatalog.JOB_ATTRIBUTE_PREFIX)) {
      return "attr.queue";
    }
    if (name.startsWith(FieldCatalog.AUDIT_RECORD_PREFIX)) {
      return "rec.SYSCALL.a0";
    }
    return name;
  }
}
