package io.ursprung.it;

import static io.ursprung.it.Workload.close;
import static io.ursprung.it.Workload.ev;
import static io.ursprung.it.Workload.open;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.consumer.AuditdMapper;
import io.ursprung.db.auth.Role;
import io.ursprung.db.auth.Viewer;
import io.ursprung.db.graph.GraphBatch;
import io.ursprung.db.graph.GraphStore;
import io.ursprung.db.lineage.Direction;
import io.ursprung.db.lineage.Edge;
import io.ursprung.db.lineage.JdbcLineageService;
import io.ursprung.db.lineage.LineageGraph;
import io.ursprung.db.lineage.Node;
import io.ursprung.db.lineage.NodeId;
import io.ursprung.events.Credentials;
import io.ursprung.events.Ipc;
import io.ursprung.events.ProcessExited;
import io.ursprung.events.ProcessRef;
import io.ursprung.events.ProcessStarted;
import io.ursprung.events.ProvEvent;
import io.ursprung.testkit.PostgresExtension;
import io.ursprung.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A signal is provenance (wasInformedBy kind signal, sender to target) but carries no data: a
 * lineage walk does not follow it (V81), while the one-hop neighbourhood shows it. The control is
 * the same shape with a pipe instead of the signal, which the walk does follow, so the test fails
 * if the walk ignores informants altogether.
 */
@ExtendWith(PostgresExtension.class)
class SignalLineageIT {
  static final Instant T = Instant.parse("2026-11-20T12:00:00Z");
  static final Viewer ADMIN = new Viewer(0, "admin", Role.ADMIN, Set.of(), Set.of());

  @Test
  void theWalkDoesNotFollowSignalsAndTheNeighbourhoodShowsThem(TestDatabase db) throws Exception {
    String host = "sig01";
    ProcessRef shell = new ProcessRef(100, T);
    ProcessRef killed = new ProcessRef(200, T.plusMillis(1));
    ProcessRef piped = new ProcessRef(300, T.plusMillis(1));
    List<ProvEvent> events = new ArrayList<>();
    int s = 0;
    events.add(ev(host, s++, T, started(shell, null, "bash")));
    events.add(ev(host, s++, T.plusMillis(1), started(killed, shell, "python3")));
    events.add(ev(host, s++, T.plusMillis(1), started(piped, shell, "gzip")));
    events.add(ev(host, s++, T.plusMillis(2), open(shell, "/w/in.txt", 11, true, false, false)));
    events.add(ev(host, s++, T.plusMillis(3), new Ipc("signal", "SIGHUP", shell, killed)));
    events.add(ev(host, s++, T.plusMillis(3), new Ipc("pipe", "100:3,4", shell, piped)));
    for (ProcessRef p : List.of(killed, piped)) {
      String out = "/w/out" + p.pid() + ".txt";
      events.add(ev(host, s++, T.plusMillis(4), open(p, out, p.pid(), false, true, true)));
      events.add(ev(host, s++, T.plusMillis(5), close(p, out, p.pid())));
    }
    events.add(ev(host, s++, T.plusMillis(6), new ProcessExited(killed, null, 9, "killed")));
    GraphBatch batch = new GraphBatch();
    for (ProvEvent e : events) {
      AuditdMapper.map(e, ConsumerHarness.CODEC.toJson(e), "auditd", 0, (long) s, batch);
    }
    new GraphStore(db.dataSource(), Duration.ofSeconds(1)).write(batch);
    JdbcLineageService lineage = new JdbcLineageService(db.dataSource());

    String shellId = new NodeId.Process(host, 100, shell.start()).text();
    String killedId = new NodeId.Process(host, 200, killed.start()).text();
    LineageGraph viaPipe =
        lineage.fromFile(ADMIN, host, "/w/out300.txt", null, Direction.UPSTREAM, 10, 100).get();
    assertTrue(ids(viaPipe).contains(shellId), "control: a pipe is followed " + ids(viaPipe));
    assertTrue(paths(viaPipe).contains("/w/in.txt"), "control: " + viaPipe);

    LineageGraph viaSignal =
        lineage.fromFile(ADMIN, host, "/w/out200.txt", null, Direction.UPSTREAM, 10, 100).get();
    assertTrue(ids(viaSignal).contains(killedId), viaSignal.toString());
    assertFalse(ids(viaSignal).contains(shellId), "the signal was followed: " + viaSignal);
    assertFalse(paths(viaSignal).contains("/w/in.txt"), viaSignal.toString());
    LineageGraph downstream =
        lineage.fromFile(ADMIN, host, "/w/in.txt", null, Direction.DOWNSTREAM, 10, 100).get();
    assertFalse(paths(downstream).contains("/w/out200.txt"), downstream.toString());
    assertTrue(paths(downstream).contains("/w/out300.txt"), downstream.toString());

    LineageGraph around = lineage.neighbourhood(ADMIN, NodeId.parse(killedId), 0, 50).get();
    List<Edge> signals = around.edges().stream().filter(e -> "signal".equals(e.kind())).toList();
    assertEquals(1, signals.size(), around.edges().toString());
    assertEquals(Set.of(shellId, killedId), Set.of(signals.get(0).from(), signals.get(0).to()));
    assertEquals(
        List.of("killed"),
        ConsumerHarness.rows(db, "SELECT exit_how FROM processes WHERE pid = 200").stream()
            .map(r -> r.get(0))
            .toList());
  }

  static ProcessStarted started(ProcessRef p, ProcessRef parent, String exe) {
    return new ProcessStarted(
        p,
        parent,
        parent == null ? 1 : parent.pid(),
        100,
        100,
        Credentials.ofIds(1001, 1001),
        "/w",
        "/usr/bin/" + exe,
        List.of(exe),
        parent == null ? "first-seen" : "fork");
  }

  static Set<String> ids(LineageGraph g) {
    return g.nodes().stream().map(Node::id).collect(Collectors.toSet());
  }

  static Set<String> paths(LineageGraph g) {
    return g.nodes().stream()
        .filter(n -> n instanceof io.ursprung.db.lineage.FileNode)
        .map(n -> ((io.ursprung.db.lineage.FileNode) n).path())
        .collect(Collectors.toSet());
  }
}
