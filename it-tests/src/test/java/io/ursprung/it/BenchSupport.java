package io.ursprung.it;

import io.ursprung.events.ProvEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Gives the benchmarks in {@code io.ursprung.it.bench} the test helpers of this package. */
public final class BenchSupport {
  private BenchSupport() {}

  /** The plugin's events for a capture file. */
  public static List<ProvEvent> captureEvents(Path capture) throws IOException {
    return AuditCapture.events(capture);
  }
}
