package io.ursprung.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written body readers ({@link FastBodies}) against Jackson databind ({@link
 * EventCodec#fromBytesDatabind}): on every golden example and on many thousands of mutated events,
 * both accept with equal events or both reject with the same reason. The auditd streams (etl-bob,
 * bulk-bob) are checked the same way in it-tests ({@code DecoderAgreementIT}), which has the
 * plugin.
 */
class FastBodiesAgreementTest {

  private static final EventCodec CODEC = new EventCodec();

  /** What a decoder makes of some bytes: the event, or the reason it was refused. */
  static String outcome(byte[] json, boolean fast) {
    try {
      ProvEvent e = fast ? CODEC.fromBytes(json) : CODEC.fromBytesDatabind(json);
      return "event " + e;
    } catch (MalformedEventException ex) {
      return "malformed: " + ex.getMessage();
    } catch (RuntimeException ex) {
      return "crash: " + ex; // neither should ever do this; if both do, it still must agree
    }
  }

  static void assertAgree(byte[] json) {
    String slow = outcome(json, false);
    String fast = outcome(json, true);
    assertEquals(
        slow, fast, () -> "decoders disagree on " + new String(json, StandardCharsets.UTF_8));
    assertTrue(
        !slow.startsWith("crash"), () -> slow + " on " + new String(json, StandardCharsets.UTF_8));
  }

  @Test
  void everyGoldenExampleDecodesTheSame() throws Exception {
    List<Path> files = GoldenEventsTest.goldenFiles();
    assertTrue(files.size() >= 10);
    for (Path f : files) {
      byte[] json = Files.readAllBytes(f);
      assertAgree(json);
      assertNotNull(CODEC.fromBytes(json));
    }
  }

  /** File accesses of every op and every optional field, as the plugin writes them. */
  static List<ProvEvent> fileAccesses(Random r, int n) {
    List<ProvEvent> out = new ArrayList<>();
    FileAccess.Op[] ops = FileAccess.Op.values();
    String[] paths = {"/home/bob/etl/out/rows.csv", "/etc/ld.so.cache", "/tmp/a b\tc\\d", "/x/ü/€"};
    for (int i = 0; i < n; i++) {
      Instant start =
          Instant.ofEpochSecond(
              1_700_000_000L + r.nextInt(100_000_000), r.nextInt(1000) * 1_000_000);
      Instant t = start.plusMillis(r.nextInt(100_000));
      FileAccess f =
          new FileAccess(
              new ProcessRef(1 + r.nextInt(4_000_000), start),
              ops[r.nextInt(ops.length)],
              paths[r.nextInt(paths.length)],
              r.nextBoolean() ? null : (r.nextBoolean() ? r.nextLong() & Long.MAX_VALUE : 1835130L),
              r.nextBoolean() ? null : "fe:01",
              r.nextBoolean() ? null : r.nextInt(1024),
              r.nextBoolean() ? null : "0x241",
              r.nextBoolean() ? null : r.nextBoolean(),
              r.nextBoolean() ? null : r.nextBoolean(),
              r.nextBoolean() ? null : r.nextBoolean(),
              r.nextBoolean() ? null : r.nextBoolean(),
              r.nextBoolean() ? null : "/home/bob/etl/out/summary.json",
              r.nextBoolean() ? null : (long) r.nextInt(Integer.MAX_VALUE),
              r.nextBoolean() ? null : (r.nextBoolean() ? "file" : "dir"));
      out.add(
          ProvEvent.of(
              "worker01:auditd:" + i + ":0",
              new Producer("ursprung-auditd-plugin", "0.1.0"),
              "worker01",
              t,
              f));
    }
    return out;
  }

  @Test
  void generatedFileAccessesDecodeTheSameAndRoundTrip() throws Exception {
    assertReadByHand(fileAccesses(new Random(4), 5000));
  }

  /**
   * Each event decodes as databind decodes it, round-trips, and the hand-written reader really took
   * its body (no silent fall-back to databind).
   */
  static void assertReadByHand(List<ProvEvent> events) throws Exception {
    for (ProvEvent e : events) {
      byte[] json = CODEC.toBytes(e);
      assertAgree(json);
      assertEquals(e, CODEC.fromBytes(json));
      byte[] body = CODEC.mapper().writeValueAsBytes(e.data());
      try (com.fasterxml.jackson.core.JsonParser p =
          CODEC.mapper().getFactory().createParser(body)) {
        p.nextToken();
        assertTrue(FastBodies.reads(e.data().type()));
        assertEquals(e.data(), FastBodies.read(e.data().type(), p));
      }
    }
  }

  /** Process starts, execs, exits and IPC with every optional field present or not. */
  static List<ProvEvent> processEvents(Random r, int n) {
    List<ProvEvent> out = new ArrayList<>();
    String[] words = {"bash", "/home/bob/etl/etl.sh", "", "a b\tc", "ü€", "-c", "x\"y\\z"};
    for (int i = 0; i < n; i++) {
      Instant start =
          Instant.ofEpochSecond(
              1_700_000_000L + r.nextInt(100_000_000), r.nextInt(1_000_000) * 1_000L);
      ProcessRef self = new ProcessRef(1 + r.nextInt(4_000_000), start);
      Credentials creds =
          r.nextInt(5) == 0
              ? null
              : new Credentials(
                  r.nextBoolean() ? null : r.nextInt(70_000),
                  r.nextBoolean() ? null : r.nextInt(70_000),
                  r.nextBoolean() ? null : 0,
                  r.nextBoolean() ? null : 1001,
                  r.nextBoolean() ? null : (r.nextBoolean() ? 1001 : Integer.MAX_VALUE),
                  r.nextBoolean() ? null : "bob",
                  r.nextBoolean() ? null : "bob",
                  r.nextBoolean() ? null : "alice");
      List<String> argv = null;
      if (r.nextInt(4) != 0) {
        argv = new ArrayList<>();
        for (int k = r.nextInt(5); k > 0; k--) {
          argv.add(words[r.nextInt(words.length)]);
        }
      }
      EventData body =
          switch (r.nextInt(4)) {
            case 0 ->
                new ProcessStarted(
                    self,
                    r.nextBoolean()
                        ? null
                        : new ProcessRef(1 + r.nextInt(4_000_000), start.minusSeconds(5)),
                    r.nextBoolean() ? null : r.nextInt(4_000_000),
                    r.nextBoolean() ? null : r.nextInt(4_000_000),
                    r.nextBoolean() ? null : r.nextInt(4_000_000),
                    creds,
                    r.nextBoolean() ? null : "/home/bob/etl",
                    r.nextBoolean() ? null : "/usr/bin/bash",
                    argv,
                    r.nextBoolean() ? "clone" : "fork");
            case 1 ->
                new ProcessExec(
                    self,
                    r.nextBoolean() ? null : "/usr/bin/cat",
                    r.nextBoolean() ? null : r.nextLong() & Long.MAX_VALUE,
                    r.nextBoolean() ? null : "fe:01",
                    argv,
                    r.nextBoolean() ? null : "/tmp",
                    creds,
                    r.nextBoolean() ? null : "execve");
            case 2 ->
                new Ipc(
                    r.nextBoolean() ? "pipe" : "unix",
                    r.nextBoolean() ? null : words[r.nextInt(words.length)],
                    self,
                    new ProcessRef(1 + r.nextInt(4_000_000), start.plusMillis(r.nextInt(1000))));
            default ->
                new ProcessExited(
                    self,
                    r.nextBoolean() ? null : r.nextInt(256),
                    r.nextBoolean() ? null : r.nextInt(65),
                    r.nextBoolean() ? "exit_group" : "signal");
          };
      out.add(
          ProvEvent.of(
              "worker01:auditd:" + i + ":1",
              new Producer("ursprung-auditd-plugin", "0.1.0"),
              "worker01",
              start.plusMillis(r.nextInt(100_000)),
              body));
    }
    return out;
  }

  @Test
  void generatedProcessEventsDecodeTheSameAndRoundTrip() throws Exception {
    assertReadByHand(processEvents(new Random(5), 5000));
  }

  @Test
  void bodiesTheReadersLeaveAreCounted() throws Exception {
    EventCodec codec = new EventCodec();
    for (ProvEvent e : processEvents(new Random(6), 50)) {
      codec.fromBytes(codec.toBytes(e));
    }
    assertEquals(0, codec.bodiesReadTwice());
    // A number as a string: the hand-written reader leaves it to databind, which coerces it.
    String json = codec.toJson(processEvents(new Random(7), 1).get(0));
    String odd = json.replaceFirst("\"pid\":(\\d+)", "\"pid\":\"$1\"");
    assertTrue(!odd.equals(json));
    assertEquals(
        codec.fromBytes(json.getBytes(StandardCharsets.UTF_8)),
        codec.fromBytes(odd.getBytes(StandardCharsets.UTF_8)));
    assertEquals(1, codec.bodiesReadTwice());
  }

  @Test
  void mutatedEventsAreAcceptedOrRejectedTheSame() throws Exception {
    Random r = new Random(42);
    List<byte[]> seeds = new ArrayList<>();
    for (Path f : GoldenEventsTest.goldenFiles()) {
      seeds.add(Files.readAllBytes(f));
    }
    for (ProvEvent e : fileAccesses(r, 200)) {
      seeds.add(CODEC.toBytes(e));
    }
    for (ProvEvent e : processEvents(r, 200)) {
      seeds.add(CODEC.toBytes(e));
    }
    int checked = 0;
    for (int round = 0; round < 40; round++) {
      for (byte[] seed : seeds) {
        for (byte[] m : mutations(seed, r)) {
          assertAgree(m);
          checked++;
        }
      }
    }
    assertTrue(checked > 100_000, "checked " + checked);
  }

  /** Odd values the fast path must leave to databind (or take identically). */
  private static final JsonNode[] ODD_VALUES;

  static {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ODD_VALUES =
        new JsonNode[] {
          f.nullNode(),
          f.textNode(""),
          f.textNode("12"),
          f.textNode("true"),
          f.textNode("OPEN"),
          f.textNode("Open"),
          f.textNode("close"),
          f.textNode("rename"),
          f.textNode("0"),
          f.numberNode(0),
          f.numberNode(-1),
          f.numberNode(1),
          f.numberNode(8),
          f.numberNode(Integer.MAX_VALUE),
          f.numberNode(Integer.MAX_VALUE + 1L),
          f.numberNode(Long.MAX_VALUE),
          f.numberNode(new java.math.BigInteger("123456789012345678901234567890")),
          f.numberNode(1.5),
          f.numberNode(2.0),
          f.numberNode(1e3),
          f.booleanNode(true),
          f.booleanNode(false),
          f.arrayNode(),
          f.arrayNode().add(1),
          f.objectNode(),
          f.objectNode().put("pid", 1),
          f.textNode("2026-11-20T09:14:03.512Z"),
          f.textNode("2026-11-20T09:14:03Z"),
          f.textNode("2026-11-20T09:14:03.5Z"),
          f.textNode("2026-11-20T09:14:03.123456789Z"),
          f.textNode("2026-11-20T09:14:03.1234567891Z"),
          f.textNode("2026-11-20T09:14:03.Z"),
          f.textNode("2026-11-20T09:14:60Z"),
          f.textNode("2026-11-20T24:00:00Z"),
          f.textNode("2026-02-29T09:14:03Z"),
          f.textNode("2024-02-29T09:14:03Z"),
          f.textNode("2026-11-31T09:14:03Z"),
          f.textNode("2026-11-20T09:14:03.512+00:00"),
          f.textNode("2026-11-20T09:14:03.512z"),
          f.textNode("2026-11-20 09:14:03.512Z"),
          f.textNode(" 2026-11-20T09:14:03.512Z"),
          f.textNode("+12026-11-20T09:14:03Z"),
          f.textNode("0000-01-01T00:00:00Z"),
          // Outside what the store can hold (microseconds since the epoch in a long).
          f.textNode("2300-01-01T00:00:00Z"),
          f.textNode("1600-01-01T00:00:00.512Z"),
          f.textNode("2262-04-11T00:00:00Z"),
          f.textNode("2262-04-10T23:59:59.999999999Z"),
          f.textNode("1677-09-21T23:59:59Z"),
          f.textNode("1677-09-22T00:00:00Z"),
          f.textNode("1795442250"),
          f.numberNode(1795442250),
          f.numberNode(1795442250.5),
        };
  }

  private static final String[] FIELDS = {
    "process",
    "op",
    "path",
    "inode",
    "device",
    "fd",
    "flags",
    "read",
    "write",
    "create",
    "truncate",
    "targetPath",
    "targetInode",
    "objectType",
    "parent",
    "ppid",
    "pgid",
    "sid",
    "credentials",
    "cwd",
    "exe",
    "argv",
    "how",
    "exeInode",
    "exeDevice",
    "syscall",
    "exitCode",
    "signal",
    "kind",
    "channel",
    "writer",
    "reader",
    "unknownField"
  };

  private static final String[] REF_FIELDS = {"process", "parent", "writer", "reader"};

  private static final String[] CREDENTIAL_FIELDS = {
    "uid", "gid", "euid", "egid", "auid", "user", "group", "loginUser", "other"
  };

  /** {@code field} of {@code o} removed (one time in four) or set to an odd value. */
  private static void oddOrGone(ObjectNode o, String field, Random r) {
    if (r.nextInt(4) == 0) {
      o.remove(field);
    } else {
      o.set(field, ODD_VALUES[r.nextInt(ODD_VALUES.length)]);
    }
  }

  /** Structural and byte-level mutations of one event. */
  static List<byte[]> mutations(byte[] seed, Random r) throws Exception {
    List<byte[]> out = new ArrayList<>();
    ObjectNode root = (ObjectNode) CODEC.mapper().readTree(seed);
    JsonNode data = root.get("data");
    // A body field set to an odd value, removed, or added.
    if (data instanceof ObjectNode d) {
      ObjectNode c = root.deepCopy();
      ObjectNode cd = (ObjectNode) c.get("data");
      oddOrGone(cd, FIELDS[r.nextInt(FIELDS.length)], r);
      out.add(CODEC.mapper().writeValueAsBytes(c));
      // Inside a process reference.
      String ref = REF_FIELDS[r.nextInt(REF_FIELDS.length)];
      if (d.get(ref) instanceof ObjectNode) {
        ObjectNode c2 = root.deepCopy();
        ObjectNode p = (ObjectNode) c2.get("data").get(ref);
        oddOrGone(p, r.nextBoolean() ? "pid" : r.nextBoolean() ? "start" : "other", r);
        out.add(CODEC.mapper().writeValueAsBytes(c2));
      }
      // Inside the credentials and the argument list.
      if (d.get("credentials") instanceof ObjectNode) {
        ObjectNode c5 = root.deepCopy();
        ObjectNode cr = (ObjectNode) c5.get("data").get("credentials");
        oddOrGone(cr, CREDENTIAL_FIELDS[r.nextInt(CREDENTIAL_FIELDS.length)], r);
        out.add(CODEC.mapper().writeValueAsBytes(c5));
      }
      if (d.get("argv") instanceof com.fasterxml.jackson.databind.node.ArrayNode) {
        ObjectNode c6 = root.deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode a =
            (com.fasterxml.jackson.databind.node.ArrayNode) c6.get("data").get("argv");
        if (a.size() > 0 && r.nextBoolean()) {
          a.set(r.nextInt(a.size()), ODD_VALUES[r.nextInt(ODD_VALUES.length)]);
        } else {
          a.add(ODD_VALUES[r.nextInt(ODD_VALUES.length)]);
        }
        out.add(CODEC.mapper().writeValueAsBytes(c6));
      }
      // Fields in another order.
      ObjectNode c3 = root.deepCopy();
      ObjectNode shuffled = JsonNodeFactory.instance.objectNode();
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = d.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      java.util.Collections.shuffle(names, r);
      for (String n : names) {
        shuffled.set(n, d.get(n));
      }
      c3.set("data", shuffled);
      out.add(CODEC.mapper().writeValueAsBytes(c3));
    }
    // The envelope's type changed (a file body under another type, or the reverse).
    ObjectNode c4 = root.deepCopy();
    EventType[] types = EventType.values();
    c4.put("type", types[r.nextInt(types.length)].wireName());
    out.add(CODEC.mapper().writeValueAsBytes(c4));
    // Textual: a body field given twice (the first or the second one odd).
    String text = new String(seed, StandardCharsets.UTF_8);
    String field = FIELDS[r.nextInt(FIELDS.length - 1)];
    int at = text.indexOf("\"" + field + "\":", text.indexOf("\"data\""));
    if (at > 0) {
      String dup = "\"" + field + "\":" + ODD_VALUES[r.nextInt(ODD_VALUES.length)] + ",";
      out.add((text.substring(0, at) + dup + text.substring(at)).getBytes(StandardCharsets.UTF_8));
    }
    // Whitespace between tokens, trailing garbage, truncation.
    out.add(text.replace(",", " ,\n\t").getBytes(StandardCharsets.UTF_8));
    out.add((text + "}").getBytes(StandardCharsets.UTF_8));
    out.add(text.substring(0, r.nextInt(text.length())).getBytes(StandardCharsets.UTF_8));
    // Random bytes changed, inserted or removed.
    for (int k = 0; k < 6; k++) {
      byte[] b = seed.clone();
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int pos = r.nextInt(b.length);
        byte[] alphabet =
            "{}[]\":,0123456789-.eEtrufalsn\\ aZT".getBytes(StandardCharsets.US_ASCII);
        switch (r.nextInt(3)) {
          case 0 -> b[pos] = alphabet[r.nextInt(alphabet.length)];
          case 1 -> {
            byte[] n = new byte[b.length + 1];
            System.arraycopy(b, 0, n, 0, pos);
            n[pos] = alphabet[r.nextInt(alphabet.length)];
            System.arraycopy(b, pos, n, pos + 1, b.length - pos);
            b = n;
          }
          default -> {
            byte[] n = new byte[b.length - 1];
            System.arraycopy(b, 0, n, 0, pos);
            System.arraycopy(b, pos + 1, n, pos, b.length - pos - 1);
            b = n;
          }
        }
      }
      out.add(b);
    }
    return out;
  }
}
