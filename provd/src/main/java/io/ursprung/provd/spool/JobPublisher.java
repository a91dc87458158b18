package io.ursprung.provd.spool;

import io.ursprung.events.ProvEvent;
import java.util.concurrent.CompletableFuture;

/** Publishes job events; the future completes when the broker acknowledged the event. */
public interface JobPublisher {
  CompletableFuture<Void> publish(ProvEvent event);
}
