package io.ursprung.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Converts {@link ProvEvent}s to and from their JSON wire form. Thread-safe.
 *
 * <p>Envelope fields sit at the top level and the body under {@code data}, so a consumer can route
 * on {@code type} and {@code host} without binding the body. Times are ISO-8601 UTC strings that
 * keep the source's fraction digits (milliseconds for auditd, none for Spectrum Scale).
 */
public final class EventCodec {

  private final ObjectMapper mapper;
  private final java.util.concurrent.atomic.LongAdder bodiesReadTwice =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.ConcurrentHashMap<String, Producer> producers =
      new java.util.concurrent.ConcurrentHashMap<>();

  public EventCodec() {
    this.mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(
                new SimpleModule("ursprung-wire-time")
                    .addSerializer(new WireTime.Serializer())
                    // Registered after JavaTimeModule, so it is the one used for Instant.
                    .addDeserializer(Instant.class, new StorableInstantDeserializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // A newer minor revision may add fields; old readers keep working.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
  }

  /** The mapper used for bodies, configured for the wire format. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** The event as a JSON tree. */
  public ObjectNode toTree(ProvEvent event) {
    ObjectNode root = mapper.createObjectNode();
    root.put("schemaVersion", event.schemaVersion());
    root.put("id", event.id());
    root.put("type", event.type().wireName());
    root.set("producer", mapper.valueToTree(event.producer()));
    root.put("host", event.host());
    root.put("time", WireTime.format(event.time()));
    root.set("data", mapper.valueToTree(event.data()));
    return root;
  }

  /** The event as UTF-8 JSON bytes, the Kafka value. */
  public byte[] toBytes(ProvEvent event) {
    // Streamed straight into a buffer: building a tree first costs about twice as much, and this
    // runs once per event on the worker.
    ByteArrayBuilder buffer = new ByteArrayBuilder(512);
    try (JsonGenerator gen = mapper.getFactory().createGenerator(buffer)) {
      gen.writeStartObject();
      gen.writeNumberField("schemaVersion", event.schemaVersion());
      gen.writeStringField("id", event.id());
      gen.writeStringField("type", event.type().wireName());
      gen.writeFieldName("producer");
      mapper.writeValue(gen, event.producer());
      gen.writeStringField("host", event.host());
      gen.writeStringField("time", WireTime.format(event.time()));
      gen.writeFieldName("data");
      mapper.writeValue(gen, event.data());
      gen.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise event " + event.id(), e);
    }
    return buffer.toByteArray();
  }

  /** The event as a JSON string (one line). */
  public String toJson(ProvEvent event) {
    return new String(toBytes(event), StandardCharsets.UTF_8);
  }

  /**
   * Reads an event.
   *
   * @throws MalformedEventException with a reason an operator can act on, when the bytes are not a
   *     valid event of a supported schema version
   */
  public ProvEvent fromBytes(byte[] json) throws MalformedEventException {
    return decode(json, true);
  }

  /**
   * Events {@link #fromBytes} read twice: bodies of a type with a hand-written reader that the
   * reader did not take (not in the form producers write, or not valid), read again by databind.
   * Producers writing another form show here; the plugin's events never should (checked on both
   * audit captures by DecoderAgreementIT).
   */
  public long bodiesReadTwice() {
    return bodiesReadTwice.sum();
  }

  /**
   * {@link #fromBytes} without the hand-written body decoders: every body bound by Jackson
   * databind. The reference the fast path is tested against, and where it falls back to.
   */
  public ProvEvent fromBytesDatabind(byte[] json) throws MalformedEventException {
    return decode(json, false);
  }

  private ProvEvent decode(byte[] json, boolean fast) throws MalformedEventException {
    // One pass over the bytes: the envelope is read field by field and the body is bound
    // straight to its record when the type came first (as every Ursprung producer writes it).
    // Decoding is the consumer's largest CPU cost, and a tree first would double it.
    try (JsonParser p = mapper.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedEventException("event must be a JSON object");
      }
      JsonNode versionNode = null;
      String id = null;
      String typeName = null;
      String host = null;
      String time = null;
      JsonNode producerNode = null;
      Producer producer = null;
      EventData data = null;
      JsonNode dataNode = null;
      boolean dataSeen = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "schemaVersion" ->
              // The node readTree makes for an int, without the databind call per event.
              versionNode =
                  value == JsonToken.VALUE_NUMBER_INT
                          && p.getNumberType() == JsonParser.NumberType.INT
                      ? IntNode.valueOf(p.getIntValue())
                      : mapper.readTree(p);
          case "id" -> id = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
          case "type" -> typeName = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
          case "host" -> host = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
          case "time" -> time = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
          case "producer" -> {
            if (value == JsonToken.START_OBJECT) {
              producer = readProducer(p);
            } else {
              producerNode = mapper.readTree(p);
            }
          }
          case "data" -> {
            dataSeen = value != JsonToken.VALUE_NULL;
            Optional<EventType> known =
                typeName == null ? Optional.empty() : EventType.fromWireName(typeName);
            if (fast
                && known.isPresent()
                && FastBodies.reads(known.get())
                && versionNode != null
                && value == JsonToken.START_OBJECT) {
              // Nearly every event of an audit topic is a file access or a step in a process's
              // life, and binding them by databind was the largest part of decoding. The
              // hand-written readers take only the form producers write; anything else (or
              // anything wrong) is decoded again from the start by databind, which accepts,
              // rejects and words reasons as always.
              data = FastBodies.read(known.get(), p);
              if (data == null) {
                bodiesReadTwice.increment();
                return decode(json, false);
              }
            } else if (known.isPresent()
                && versionNode != null
                && value == JsonToken.START_OBJECT) {
              try {
                data = mapper.readValue(p, known.get().dataClass());
              } catch (JsonProcessingException e) {
                // A bad body: the tree path checks the envelope first and words every problem
                // the same way as always. Rare, so reading twice costs nothing that matters.
                return fromTree(mapper.readTree(json));
              }
            } else {
              dataNode = mapper.readTree(p);
            }
          }
          default -> p.skipChildren();
        }
      }
      if (data == null) {
        // Unusual field order, or something to report: the tree path says exactly what.
        ObjectNode root = mapper.createObjectNode();
        root.set("schemaVersion", versionNode);
        root.put("id", id);
        root.put("type", typeName);
        root.set("producer", producer != null ? mapper.valueToTree(producer) : producerNode);
        root.put("host", host);
        root.put("time", time);
        root.set("data", dataSeen ? dataNode : null);
        return fromTree(root);
      }
      int version = versionNode == null ? -1 : versionNode.asInt(-1);
      if (version != ProvEvent.SCHEMA_VERSION) {
        throw new MalformedEventException(
            "unsupported schemaVersion "
                + versionNode
                + " (this reader understands "
                + ProvEvent.SCHEMA_VERSION
                + ")");
      }
      require(id, "id");
      require(producer != null ? producer : producerNode, "producer");
      require(host, "host");
      require(time, "time");
      try {
        if (producer == null) {
          producer = mapper.treeToValue(producerNode, Producer.class);
        }
        Instant at = parseInstant(time);
        checkEnvelope(host, at);
        return new ProvEvent(version, id, producer, host, at, data);
      } catch (DateTimeParseException e) {
        throw new MalformedEventException("time is not an ISO-8601 instant: \"" + time + "\"", e);
      } catch (JsonProcessingException e) {
        throw new MalformedEventException("invalid producer: " + e.getOriginalMessage(), e);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new MalformedEventException("invalid " + typeName + " event: " + e.getMessage(), e);
      }
    } catch (JsonProcessingException e) {
      throw new MalformedEventException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new MalformedEventException("unreadable: " + e.getMessage(), e);
    }
  }

  /**
   * The producer of an event, read from the stream and shared: nearly every event of a topic has
   * the same one, and building it from a tree was a sixth of all decoding.
   */
  private Producer readProducer(JsonParser p) throws IOException, MalformedEventException {
    String name = null;
    String version = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("name") && v == JsonToken.VALUE_STRING) {
        name = p.getText();
      } else if (field.equals("version") && v == JsonToken.VALUE_STRING) {
        version = p.getText();
      } else {
        p.skipChildren();
      }
    }
    if (name == null || version == null) {
      return null; // reported as a missing producer
    }
    String key = name + '\u0000' + version;
    Producer cached = producers.get(key);
    if (cached == null) {
      try {
        cached = new Producer(name, version);
      } catch (IllegalArgumentException e) {
        throw new MalformedEventException("invalid producer: " + e.getMessage(), e);
      }
      if (producers.size() > 1000) {
        producers.clear(); // a bound, not a policy: real topics carry a handful of producers
      }
      producers.put(key, cached);
    }
    return cached;
  }

  /**
   * {@link Instant#parse}, with a fast path for the form every producer writes ({@code
   * 2026-11-23T16:19:19Z}, optionally with 1 to 9 fraction digits): {@code java.time}'s general
   * parser was a tenth of all decoding. Anything else, or anything out of range, goes to {@link
   * Instant#parse}, which accepts or rejects it exactly as before.
   */
  static Instant parseInstant(String s) {
    Instant fast = parseCanonicalInstant(s);
    return fast != null ? fast : Instant.parse(s);
  }

  /**
   * The instant of a string in the form producers write ({@code 2026-11-23T16:19:19Z}, optionally
   * with 1 to 9 fraction digits, fields in range), as {@link Instant#parse} would read it; null for
   * anything else, which this method does not judge.
   */
  static Instant parseCanonicalInstant(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || n == 21
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z'
        || (n > 20 && s.charAt(19) != '.')) {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int nanos = 0;
    if (n > 20) {
      int fraction = digits(s, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    }
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code s[from, to)}, or -1 when it is not all ASCII digits. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static void require(Object value, String name) throws MalformedEventException {
    if (value == null) {
      throw new MalformedEventException("missing field '" + name + "'");
    }
  }

  /** Reads an event from a JSON string. */
  public ProvEvent fromJson(String json) throws MalformedEventException {
    return fromBytes(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads an event from a JSON tree. */
  public ProvEvent fromTree(JsonNode root) throws MalformedEventException {
    if (root == null || !root.isObject()) {
      throw new MalformedEventException("event must be a JSON object");
    }
    int version = requireField(root, "schemaVersion").asInt(-1);
    if (version != ProvEvent.SCHEMA_VERSION) {
      throw new MalformedEventException(
          "unsupported schemaVersion "
              + root.get("schemaVersion")
              + " (this reader understands "
              + ProvEvent.SCHEMA_VERSION
              + ")");
    }
    String typeName = requireField(root, "type").asText();
    EventType type =
        EventType.fromWireName(typeName)
            .orElseThrow(
                () -> new MalformedEventException("unknown event type '" + typeName + "'"));
    try {
      Producer producer = mapper.treeToValue(requireField(root, "producer"), Producer.class);
      Instant time = Instant.parse(requireField(root, "time").asText());
      EventData data = mapper.treeToValue(requireField(root, "data"), type.dataClass());
      if (data == null) {
        throw new MalformedEventException("data must be an object");
      }
      String host = requireField(root, "host").asText();
      checkEnvelope(host, time);
      return new ProvEvent(version, requireField(root, "id").asText(), producer, host, time, data);
    } catch (DateTimeParseException e) {
      throw new MalformedEventException("time is not an ISO-8601 instant: " + root.get("time"), e);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException(
          "invalid " + typeName + " body: " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException | NullPointerException e) {
      // Compact constructors reject missing or out-of-range values with these.
      throw new MalformedEventException("invalid " + typeName + " event: " + e.getMessage(), e);
    }
  }

  /**
   * The envelope checks both decoding paths make, worded the same: a host the REST API can name in
   * node ids, and a time the store can hold (see {@link ProvEvent#HOST_NAME} and {@link
   * ProvEvent#EARLIEST_TIME}). Producers are not stopped by these, so a bad value reaches the
   * consumer and is dead-lettered there with this reason instead of being stored.
   */
  private static void checkEnvelope(String host, Instant time) throws MalformedEventException {
    String problem = ProvEvent.hostProblem("host", host);
    if (problem == null) {
      problem = ProvEvent.timeProblem("time", time);
    }
    if (problem != null) {
      throw new MalformedEventException(problem);
    }
  }

  /**
   * Instants inside bodies (process start times), read as JavaTimeModule reads them but refused
   * outside what the store can hold: they become microsecond keys, which would overflow. {@link
   * FastBodies} leaves such values to this path, so both decoders give this reason.
   */
  private static final class StorableInstantDeserializer extends StdScalarDeserializer<Instant> {
    StorableInstantDeserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      // The form producers write is read by the same parser as the envelope's time; only other
      // forms go to JavaTimeModule's reader, whose general formatter was more than half of the
      // consumer's databind time (process bodies carry two or three times each).
      Instant t =
          p.currentToken() == JsonToken.VALUE_STRING ? parseCanonicalInstant(p.getText()) : null;
      if (t == null) {
        t = InstantDeserializer.INSTANT.deserialize(p, ctxt);
      }
      if (t == null) {
        return null;
      }
      String field = p.currentName();
      String problem = ProvEvent.timeProblem(field == null ? "time" : field + " time", t);
      if (problem != null) {
        throw InvalidFormatException.from(p, problem, p.getText(), Instant.class);
      }
      return t;
    }
  }

  private static JsonNode requireField(JsonNode root, String name) throws MalformedEventException {
    JsonNode node = root.get(name);
    if (node == null || node.isNull()) {
      throw new MalformedEventException("missing field '" + name + "'");
    }
    return node;
  }
}
