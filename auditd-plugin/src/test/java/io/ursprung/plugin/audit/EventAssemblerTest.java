package io.ursprung.plugin.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventAssemblerTest {
  private final List<AuditEvent> out = new ArrayList<>();
  private final EventAssembler asm = new EventAssembler(2000, 50, out::add);
  private final RecordParser parser = new RecordParser();

  private void line(String type, long serial, String body) {
    line("n1", type, serial, body);
  }

  private void line(String node, String type, long serial, String body) {
    String l =
        "node="
            + node
            + " type="
            + type
            + " msg=audit("
            + AuditFixture.stamp(serial)
            + "): "
            + body;
    byte[] b = l.getBytes(StandardCharsets.UTF_8);
    AuditRecord r = parser.parse(b, 0, b.length);
    asm.accept(r, r.node());
  }

  private List<Long> serials() {
    return out.stream().map(AuditEvent::serial).collect(Collectors.toList());
  }

  @Test
  void completesOnEoeAndKeepsSerialOrderAcrossInterleaving() {
    line("SYSCALL", 11, "syscall=2 pid=1");
    line("SYSCALL", 10, "syscall=2 pid=2");
    line("CWD", 11, "cwd=\"/\"");
    line("EOE", 11, "");
    assertEquals(List.of(), serials(), "11 waits for the lower, incomplete 10");
    line("PATH", 10, "item=0 name=\"a\"");
    line("EOE", 10, "");
    assertEquals(List.of(10L, 11L), serials());
    assertEquals(2, out.get(0).records().size());
    assertEquals(0, asm.timedOut);
  }

  @Test
  void syscallNeedNotBeFirst() {
    line("AVC", 20, "apparmor=\"DENIED\" operation=\"open\"");
    line("SYSCALL", 20, "syscall=257 pid=3");
    line("EOE", 20, "");
    assertEquals(1, out.size());
    assertEquals(RecordTypes.SYSCALL, out.get(0).syscall().type());
    assertEquals(2, out.get(0).records().size());
  }

  @Test
  void singleRecordTypesCompleteAtOnceButConfigChangeJoinsItsSyscall() {
    line("USER_START", 30, "pid=1 msg='op=x res=success'");
    assertEquals(List.of(30L), serials());
    line("CONFIG_CHANGE", 31, "op=add_rule key=\"k\" list=4 res=1");
    assertEquals(List.of(30L), serials());
    line("SYSCALL", 31, "syscall=44 pid=5");
    line("EOE", 31, "");
    assertEquals(List.of(30L, 31L), serials());
    assertEquals(2, out.get(1).records().size());
  }

  @Test
  void withoutEoeProctitleCompletesTheEvent() {
    line("SYSCALL", 40, "syscall=2 pid=1");
    line("CWD", 40, "cwd=\"/\"");
    line("PROCTITLE", 40, "proctitle=\"x\"");
    assertEquals(List.of(40L), serials());
    assertEquals(0, asm.timedOut);
  }

  @Test
  void onceEoeWasSeenProctitleNoLongerCompletes() {
    line("SYSCALL", 50, "syscall=2 pid=1");
    line("EOE", 50, "");
    line("SYSCALL", 51, "syscall=2 pid=1");
    line("PROCTITLE", 51, "proctitle=\"x\"");
    line("SOCKADDR", 51, "saddr=0100");
    line("EOE", 51, "");
    assertEquals(List.of(50L, 51L), serials());
    assertEquals(3, out.get(1).records().size());
  }

  @Test
  void wallClockTimeOutCompletesEventsWhoseEoeNeverCame() {
    line("SYSCALL", 50, "syscall=2 pid=1");
    line("EOE", 50, "");
    line("SYSCALL", 60, "syscall=2 pid=1");
    asm.tick(1_000);
    assertEquals(List.of(50L), serials());
    asm.tick(2_500);
    assertEquals(List.of(50L), serials());
    asm.tick(3_000);
    assertEquals(List.of(50L, 60L), serials());
    assertEquals(1, asm.timedOut);
  }

  @Test
  void eventClockAndRecordWindowCompleteStragglersWhenReplaying() {
    line("SYSCALL", 70, "syscall=2 pid=1");
    line("EOE", 69, ""); // makes the node an EOE stream, so PROCTITLE does not complete
    // 2 s later in event time
    line("SYSCALL", 2070, "syscall=2 pid=1");
    assertEquals(List.of(70L), serials());
    assertEquals(1, asm.timedOut);
    for (int i = 0; i < 60; i++) {
      line("PATH", 2071 + i, "item=0");
    }
    assertTrue(serials().contains(2070L), "completed after the record window");
  }

  @Test
  void lateRecordsOfCompletedEventsAreDropped() {
    line("SYSCALL", 80, "syscall=2 pid=1");
    line("EOE", 80, "");
    line("PATH", 80, "item=0");
    assertEquals(1, out.size());
    assertEquals(1, out.get(0).records().size());
    assertEquals(1, asm.late);
  }

  @Test
  void nodesAreIndependent() {
    line("a", "SYSCALL", 5, "syscall=2 pid=1");
    line("b", "SYSCALL", 5, "syscall=2 pid=1");
    line("b", "EOE", 5, "");
    assertEquals(1, out.size());
    assertEquals("b", out.get(0).host());
    asm.endOfInput();
    assertEquals(2, out.size());
    assertEquals("a", out.get(1).host());
  }
}
