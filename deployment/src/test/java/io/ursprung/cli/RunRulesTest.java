package io.ursprung.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The temporary rules of {@code ursprung run}: scoped, keyed, and the shipped syscalls. */
class RunRulesTest {

  @Test
  void everyRuleIsScopedToTheSessionAndCarriesTheRunKey() {
    List<List<String>> rules = RunRules.rules(42, "amd64");
    assertFalse(rules.isEmpty());
    for (List<String> r : rules) {
      String text = String.join(" ", r);
      assertTrue(text.startsWith("-a always,exit -F arch=b64 -S "), text);
      assertTrue(text.endsWith("-F sessionid=42 -k ursprung-run-42"), text);
      assertFalse(text.contains("uid>="), "scoped by session, not by user: " + text);
    }
  }

  @Test
  void exitAndConnectAndSignalsHaveNoSuccessFilter() {
    for (List<String> r : RunRules.rules(7, "amd64")) {
      String calls = r.get(r.indexOf("-S") + 1);
      boolean success = r.contains("success=1");
      if (calls.contains("exit") || calls.equals("connect") || calls.contains("kill")) {
        assertFalse(success, "no success filter for " + calls);
      } else {
        assertTrue(success, "success filter for " + calls);
      }
    }
  }

  @Test
  void unsetOrInvalidSessionsAreRefused() {
    // A rule for the unset session would capture every daemon on the machine.
    assertThrows(IllegalArgumentException.class, () -> RunRules.rules(4294967295L, "amd64"));
    assertThrows(IllegalArgumentException.class, () -> RunRules.rules(0, "amd64"));
  }

  @Test
  void genericAbiLeavesOutLegacySyscalls() {
    String all =
        String.join(" ", RunRules.rules(9, "aarch64").stream().flatMap(List::stream).toList());
    assertFalse(all.matches(".*[ ,]open[ ,].*"), all);
    assertFalse(all.matches(".*[ ,]fork[ ,].*"), all);
    assertTrue(all.contains("openat"), all);
    assertTrue(all.contains("clone3"), all);
  }

  /** The syscalls are those of the shipped b64 rules, so the two cannot drift apart. */
  @Test
  void syscallsAreThoseOfTheShippedRules() throws Exception {
    Path shipped = Path.of("auditd/30-ursprung-provenance.rules");
    if (!Files.exists(shipped)) {
      shipped = Path.of("deployment/auditd/30-ursprung-provenance.rules");
    }
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(shipped)) {
      if (line.startsWith("-a always,exit -F arch=b64")) {
        List<String> w = List.of(line.split("\\s+"));
        Set<String> calls = new TreeSet<>(List.of(w.get(w.indexOf("-S") + 1).split(",")));
        String extra =
            w.stream()
                .filter(x -> x.startsWith("a0=") || x.startsWith("a1="))
                .findFirst()
                .orElse("");
        expected.add(calls + extra + w.contains("success=1"));
      }
    }
    List<String> actual = new ArrayList<>();
    for (List<String> r : RunRules.rules(1, "amd64")) {
      Set<String> calls = new TreeSet<>(List.of(r.get(r.indexOf("-S") + 1).split(",")));
      String extra =
          r.stream().filter(x -> x.startsWith("a0=") || x.startsWith("a1=")).findFirst().orElse("");
      actual.add(calls + extra + r.contains("success=1"));
    }
    assertEquals(expected, actual);
  }
}
