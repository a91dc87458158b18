package io.ursprung.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ursprung.events.EventCodec;
import io.ursprung.events.EventType;
import io.ursprung.events.MalformedEventException;
import io.ursprung.events.ProvEvent;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The consumer's decoder ({@link EventCodec#fromBytes}, hand-written readers for the commonest
 * bodies) against Jackson databind ({@link EventCodec#fromBytesDatabind}) on every event the auditd
 * plugin makes of the etl-bob and bulk-bob captures, and on mutated copies of them: the same event,
 * or the same reason for refusing it. The events module's {@code FastBodiesAgreementTest} does the
 * same for the golden examples and generated events.
 */
class DecoderAgreementIT {
  private static final EventCodec CODEC = new EventCodec();

  @Test
  void etlBobStreamDecodesTheSame() throws Exception {
    check(AuditCapture.events(AuditCapture.TESTDATA.resolve("etl-bob.plugin-stream.log")));
  }

  @Test
  void bulkBobStreamDecodesTheSame() throws Exception {
    check(AuditCapture.events(AuditCapture.TESTDATA.resolve("bulk-bob.plugin-stream.log.gz")));
  }

  private static void check(List<ProvEvent> events) throws Exception {
    assertTrue(events.size() > 100);
    Map<EventType, Integer> mix = new EnumMap<>(EventType.class);
    Random r = new Random(events.size());
    int mutated = 0;
    for (ProvEvent e : events) {
      mix.merge(e.type(), 1, Integer::sum);
      byte[] json = CODEC.toBytes(e);
      long readTwice = CODEC.bodiesReadTwice();
      assertEquals(e, CODEC.fromBytes(json), e.id());
      // And the hand-written reader took it where there is one: no silent fall-back.
      assertEquals(readTwice, CODEC.bodiesReadTwice(), () -> "read twice: " + e);
      assertEquals(e, CODEC.fromBytesDatabind(json), e.id());
      if (r.nextInt(20) == 0) {
        for (byte[] m : mutations(json, r)) {
          String slow = outcome(m, false);
          assertEquals(slow, outcome(m, true), () -> new String(m, StandardCharsets.UTF_8));
          mutated++;
        }
      }
    }
    System.out.printf("%,d events %s, %,d mutations agree%n", events.size(), mix, mutated);
  }

  private static String outcome(byte[] json, boolean fast) {
    try {
      return "event " + (fast ? CODEC.fromBytes(json) : CODEC.fromBytesDatabind(json));
    } catch (MalformedEventException ex) {
      return "malformed: " + ex.getMessage();
    }
  }

  /** Byte edits, and body values swapped for values of other JSON types. */
  private static List<byte[]> mutations(byte[] seed, Random r) {
    String text = new String(seed, StandardCharsets.UTF_8);
    String[] odd = {
      "null",
      "\"12\"",
      "12",
      "-1",
      "0",
      "1.5",
      "true",
      "[]",
      "{}",
      "\"OPEN\"",
      "\"2026-11-20T09:14:60Z\"",
      "\"2026-11-20T09:14:03.512+00:00\"",
      "99999999999999999999"
    };
    String[] fields = {
      "pid",
      "start",
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
      "objectType"
    };
    java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
    for (int k = 0; k < 4; k++) {
      String f = "\"" + fields[r.nextInt(fields.length)] + "\":";
      int at = text.indexOf(f);
      if (at > 0) {
        int from = at + f.length();
        int to = from;
        int depth = 0;
        boolean inString = false;
        // The value's end: the next comma or closing brace outside a string at this depth.
        for (; to < text.length(); to++) {
          char c = text.charAt(to);
          if (inString) {
            if (c == '\\') {
              to++;
            } else if (c == '"') {
              inString = false;
            }
          } else if (c == '"') {
            inString = true;
          } else if (c == '{' || c == '[') {
            depth++;
          } else if ((c == '}' || c == ']') && depth-- == 0 || c == ',' && depth == 0) {
            break;
          }
        }
        String value = odd[r.nextInt(odd.length)];
        out.add(
            (text.substring(0, from) + value + text.substring(to))
                .getBytes(StandardCharsets.UTF_8));
      }
      byte[] b = seed.clone();
      b[r.nextInt(b.length)] = (byte) "{}[]\":,0-9.etn\\ Z".charAt(r.nextInt(17));
      out.add(b);
    }
    return out;
  }
}
