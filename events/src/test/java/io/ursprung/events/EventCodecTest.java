package io.ursprung.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  private static final EventCodec CODEC = new EventCodec();
  private static final Producer PRODUCER = new Producer("test", "1");

  @Test
  void writesMillisecondsAlwaysAndMoreWhenPresent() throws Exception {
    Instant ms = Instant.parse("2026-11-20T09:14:03.510Z");
    ProvEvent event =
        ProvEvent.of(
            "h:1:0",
            PRODUCER,
            "h",
            ms,
            new ProcessExited(
                new ProcessRef(7, Instant.parse("2026-11-20T09:14:03Z")), 0, null, "exit"));
    String json = CODEC.toJson(event);
    assertTrue(json.contains("\"time\":\"2026-11-20T09:14:03.510Z\""), json);
    assertTrue(json.contains("\"start\":\"2026-11-20T09:14:03.000Z\""), json);
    assertEquals(event, CODEC.fromJson(json));
    assertEquals(
        "2026-11-20T09:14:03.000001Z",
        WireTime.format(Instant.parse("2026-11-20T09:14:03.000001Z")));
    assertEquals(
        "2026-11-20T09:14:03.000000001Z",
        WireTime.format(Instant.parse("2026-11-20T09:14:03.000000001Z")));
  }

  @Test
  void unknownTypeIsReportedByName() {
    var e =
        assertThrows(
            MalformedEventException.class,
            () ->
                CODEC.fromJson(
                    "{\"schemaVersion\":1,\"id\":\"x\",\"type\":\"nope\",\"producer\":{\"name\":\"a\",\"version\":\"1\"},"
                        + "\"host\":\"h\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{}}"));
    assertTrue(e.getMessage().contains("unknown event type 'nope'"), e.getMessage());
  }

  @Test
  void futureSchemaVersionIsRefused() {
    var e =
        assertThrows(
            MalformedEventException.class,
            () -> CODEC.fromJson("{\"schemaVersion\":2,\"id\":\"x\",\"type\":\"ipc\"}"));
    assertTrue(e.getMessage().contains("unsupported schemaVersion 2"), e.getMessage());
  }

  @Test
  void notJsonIsMalformed() {
    assertThrows(MalformedEventException.class, () -> CODEC.fromJson("type=SYSCALL msg=audit("));
  }

  @Test
  void missingRequiredBodyFieldIsMalformed() {
    var e =
        assertThrows(
            MalformedEventException.class,
            () ->
                CODEC.fromJson(
                    "{\"schemaVersion\":1,\"id\":\"x\",\"type\":\"process.exit\",\"producer\":{\"name\":\"a\",\"version\":\"1\"},"
                        + "\"host\":\"h\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"how\":\"exit\"}}"));
    assertTrue(e.getMessage().contains("process"), e.getMessage());
  }

  @Test
  void badTimeIsMalformed() {
    var e =
        assertThrows(
            MalformedEventException.class,
            () ->
                CODEC.fromJson(
                    "{\"schemaVersion\":1,\"id\":\"x\",\"type\":\"process.exit\",\"producer\":{\"name\":\"a\",\"version\":\"1\"},"
                        + "\"host\":\"h\",\"time\":\"yesterday\",\"data\":{}}"));
    assertTrue(e.getMessage().contains("time"), e.getMessage());
  }

  @Test
  void hostWithWhitespaceIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ProvEvent.of(
                "x", PRODUCER, "a b", Instant.EPOCH, new Ipc("pipe", null, ref(1), ref(2))));
  }

  @Test
  void kafkaKeyIsTheHost() {
    ProvEvent event =
        ProvEvent.of(
            "x", PRODUCER, "worker07", Instant.EPOCH, new Ipc("pipe", null, ref(1), ref(2)));
    assertEquals(
        "worker07", new String(KafkaKeys.keyFor(event), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void argvIsCopiedDefensively() {
    var argv = new java.util.ArrayList<>(List.of("ls", "-l"));
    ProcessExec exec = new ProcessExec(ref(3), "/bin/ls", null, null, argv, "/", null, "execve");
    argv.add("changed");
    assertEquals(List.of("ls", "-l"), exec.argv());
  }

  @Test
  void readsTheBodyWhateverTheFieldOrderAndIgnoresUnknownFields() throws Exception {
    ProvEvent event =
        ProvEvent.of(
            "h:1:0",
            PRODUCER,
            "h",
            Instant.parse("2026-11-20T09:14:03.510Z"),
            new ProcessExited(ref(7), 3, null, "exit_group"));
    String body =
        "{\"process\":{\"pid\":7,\"start\":\"1970-01-01T00:00:00.000Z\"},"
            + "\"exitCode\":3,\"how\":\"exit_group\",\"future\":{\"nested\":[1,2]}}";
    String bodyFirst =
        "{\"data\":"
            + body
            + ",\"host\":\"h\",\"type\":\"process.exit\",\"id\":\"h:1:0\","
            + "\"time\":\"2026-11-20T09:14:03.510Z\",\"extra\":[{\"a\":1}],"
            + "\"producer\":{\"name\":\"test\",\"version\":\"1\"},\"schemaVersion\":1}";
    assertEquals(event, CODEC.fromJson(bodyFirst));
    String typeFirst =
        "{\"schemaVersion\":1,\"id\":\"h:1:0\",\"type\":\"process.exit\",\"extra\":{\"x\":[1]},"
            + "\"producer\":{\"name\":\"test\",\"version\":\"1\"},\"host\":\"h\","
            + "\"time\":\"2026-11-20T09:14:03.510Z\",\"data\":"
            + body
            + "}";
    assertEquals(event, CODEC.fromJson(typeFirst));
  }

  @Test
  void nullDataIsReportedAsMissing() {
    var e =
        assertThrows(
            MalformedEventException.class,
            () ->
                CODEC.fromJson(
                    "{\"schemaVersion\":1,\"id\":\"x\",\"type\":\"ipc\",\"producer\":{\"name\":\"a\",\"version\":\"1\"},"
                        + "\"host\":\"h\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":null}"));
    assertTrue(e.getMessage().contains("data"), e.getMessage());
  }

  @Test
  void truncatedJsonIsMalformed() {
    assertThrows(
        MalformedEventException.class,
        () -> CODEC.fromJson("{\"schemaVersion\":1,\"id\":\"x\",\"data\":{\"kind\":"));
  }

  @Test
  void fastTimeParserAgreesWithInstantParse() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 200_000; i++) {
      Instant t =
          Instant.ofEpochSecond(random.nextLong() % 8_000_000_000L, random.nextInt(1_000_000_000));
      String text = (i % 3 == 0) ? t.toString() : WireTime.format(t);
      assertEquals(Instant.parse(text), EventCodec.parseInstant(text), text);
    }
    for (String edge :
        List.of(
            "2024-02-29T00:00:00Z",
            "2026-12-31T23:59:59.999999999Z",
            "1970-01-01T00:00:00.000Z",
            "2026-11-20T09:14:03.5Z")) {
      assertEquals(Instant.parse(edge), EventCodec.parseInstant(edge), edge);
    }
    for (String odd :
        List.of(
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-20T24:00:00Z",
            "2026-11-20T23:59:60Z",
            "2026-11-20T09:14:03.Z",
            "2026-11-20t09:14:03Z")) {
      // Whatever Instant.parse does with it, the fast path does too.
      assertEquals(
          parseOrError(odd, Instant::parse), parseOrError(odd, EventCodec::parseInstant), odd);
    }
  }

  @Test
  void bodyTimesReadAsJavaTimeModuleReadsThem() throws Exception {
    // Times inside bodies take the canonical parser first and JavaTimeModule's reader for any
    // other form: the instant must be the one JavaTimeModule alone gives, whatever the form.
    com.fasterxml.jackson.databind.ObjectMapper plain =
        com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(
                com.fasterxml.jackson.databind.DeserializationFeature
                    .ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();
    java.util.Random random = new java.util.Random(7);
    List<String> texts = new java.util.ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      // Inside what the store holds (1677..2262): outside it the codec refuses on purpose.
      Instant t =
          Instant.ofEpochSecond(random.nextLong() % 9_000_000_000L, random.nextInt(1_000_000_000));
      texts.add(i % 2 == 0 ? t.toString() : WireTime.format(t));
    }
    texts.addAll(
        List.of(
            "2026-11-20T09:14:03Z",
            "2026-11-20T09:14:03.5Z",
            "2024-02-29T23:59:59.999999999Z",
            "2023-02-29T00:00:00Z",
            "2026-11-20T24:00:00Z",
            "2026-11-20T09:14:03.Z",
            "2026-11-20t09:14:03Z",
            "2026-11-20T09:14:03z",
            "2026-11-20T09:14:03+00:00",
            "2026-11-20T10:14:03+01:00",
            " 2026-11-20T09:14:03Z",
            "2026-11-20T09:14:03Z ",
            "+2026-11-20T09:14:03Z",
            "1795442250"));
    for (String text : texts) {
      String json = "\"" + text + "\"";
      assertEquals(readOrError(plain, json), readOrError(CODEC.mapper(), json), "time " + text);
    }
    assertEquals(readOrError(plain, "1795442250.5"), readOrError(CODEC.mapper(), "1795442250.5"));
  }

  private static Object readOrError(com.fasterxml.jackson.databind.ObjectMapper m, String json) {
    try {
      return m.readValue(json, Instant.class);
    } catch (java.io.IOException e) {
      return "rejected";
    }
  }

  private static Object parseOrError(String s, java.util.function.Function<String, Instant> f) {
    try {
      return f.apply(s);
    } catch (java.time.DateTimeException e) {
      return "rejected";
    }
  }

  @Test
  void blankProducerIsMalformedNotACrash() {
    var e =
        assertThrows(
            MalformedEventException.class,
            () ->
                CODEC.fromJson(
                    "{\"schemaVersion\":1,\"id\":\"x\",\"type\":\"process.exit\",\"producer\":{\"name\":\" \",\"version\":\"1\"},"
                        + "\"host\":\"h\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"process\":{\"pid\":1,\"start\":\"2026-01-01T00:00:00Z\"},\"how\":\"exit\"}}"));
    assertTrue(e.getMessage().contains("producer"), e.getMessage());
  }

  @Test
  void producersAreShared() throws Exception {
    ProvEvent a =
        CODEC.fromJson(
            CODEC.toJson(
                ProvEvent.of(
                    "h:1:0", PRODUCER, "h", Instant.EPOCH, new Ipc("pipe", null, ref(1), ref(2)))));
    ProvEvent b =
        CODEC.fromJson(
            CODEC.toJson(
                ProvEvent.of(
                    "h:2:0", PRODUCER, "h", Instant.EPOCH, new Ipc("pipe", null, ref(1), ref(2)))));
    assertEquals(PRODUCER, a.producer());
    assertTrue(a.producer() == b.producer(), "one Producer instance per name and version");
  }

  private static ProcessRef ref(int pid) {
    return new ProcessRef(pid, Instant.EPOCH);
  }
}
