package io.ursprung.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * How instants are written on the wire: UTC, ISO-8601, always with millisecond digits (auditd's
 * precision) and with micro- or nanosecond digits when the value has them, so no source precision
 * is lost and equal values always print the same way.
 */
public final class WireTime {
  private static final DateTimeFormatter MILLIS =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();
  private static final DateTimeFormatter MICROS =
      new DateTimeFormatterBuilder().appendInstant(6).toFormatter();
  private static final DateTimeFormatter NANOS =
      new DateTimeFormatterBuilder().appendInstant(9).toFormatter();

  private WireTime() {}

  /** The wire form of an instant. */
  public static String format(Instant instant) {
    int nanos = instant.getNano();
    if (nanos % 1_000_000 == 0) {
      return MILLIS.format(instant);
    }
    return nanos % 1_000 == 0 ? MICROS.format(instant) : NANOS.format(instant);
  }

  /** Jackson serializer applying {@link #format(Instant)}. */
  static final class Serializer extends StdSerializer<Instant> {
    Serializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(format(value));
    }
  }
}
