package io.ursprung.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this build, stamped into every event's producer and printed by --version. */
public final class UrsprungVersion {
  private static final String VERSION = load();

  private UrsprungVersion() {}

  /** The project version, such as {@code 0.1.0-SNAPSHOT}. */
  public static String get() {
    return VERSION;
  }

  /** A producer record for a named Ursprung program at this version. */
  public static Producer producer(String programName) {
    return new Producer(programName, VERSION);
  }

  private static String load() {
    try (InputStream in = UrsprungVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
