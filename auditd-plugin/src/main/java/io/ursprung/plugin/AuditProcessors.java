package io.ursprung.plugin;

import io.ursprung.events.Producer;
import io.ursprung.plugin.audit.AuditProcessor;
import io.ursprung.plugin.sink.EventSink;
import java.lang.reflect.InvocationTargetException;
import java.util.function.IntFunction;

/**
 * Creates the {@link AuditProcessor}. The one place that names the implementation class, so that
 * the program and its tests depend only on the interface.
 */
final class AuditProcessors {
  private AuditProcessors() {}

  static final String IMPLEMENTATION = "io.ursprung.plugin.audit.AuditStreamProcessor";

  /**
   * The stream processor: assembles audit records into events, runs the OS model and emits
   * provenance events to {@code sink}.
   *
   * @throws IllegalStateException when this build has no processor
   */
  static AuditProcessor create(
      String fallbackHost,
      Producer producer,
      EventSink sink,
      IntFunction<String> userNames,
      IntFunction<String> groupNames,
      long eventTimeoutMillis,
      boolean emitRawSyscalls) {
    // Bound reflectively while the implementation is being written in parallel; replaced by a
    // plain constructor call once it is on main.
    try {
      Class<?> c = Class.forName(IMPLEMENTATION);
      return (AuditProcessor)
          c.getConstructor(
                  String.class,
                  Producer.class,
                  EventSink.class,
                  IntFunction.class,
                  IntFunction.class,
                  long.class,
                  boolean.class)
              .newInstance(
                  fallbackHost,
                  producer,
                  sink,
                  userNames,
                  groupNames,
                  eventTimeoutMillis,
                  emitRawSyscalls);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new IllegalStateException(
          "this build has no audit processor (" + IMPLEMENTATION + ")", e);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
