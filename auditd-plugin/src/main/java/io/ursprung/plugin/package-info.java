/**
 * The auditd plugin program: {@link io.ursprung.plugin.PluginCommand} ({@code ursprung plugin})
 * wires configuration, input, the audit processor and a sink.
 *
 * <p>Data flow: a reader thread ({@link io.ursprung.plugin.InputPump}) drains stdin or the replayed
 * files as bytes into a bounded {@link io.ursprung.plugin.ChunkQueue}, never waiting on downstream
 * work for long (auditd must never block on us: when it does, it drops events silently); the
 * processing thread ({@link io.ursprung.plugin.PluginRunner}) splits lines ({@link
 * io.ursprung.plugin.LineSplitter}), feeds the {@link io.ursprung.plugin.audit.AuditProcessor},
 * ticks it and hands its events to a {@link io.ursprung.plugin.sink.EventSink}.
 */
package io.ursprung.plugin;
