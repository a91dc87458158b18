/**
 * Destinations of the plugin's events: {@link io.ursprung.plugin.sink.KafkaSink} (production, with
 * the on-disk {@link io.ursprung.plugin.sink.DiskSpool} when Kafka is unreachable) and {@link
 * io.ursprung.plugin.sink.JsonLinesSink} (debugging and replays). Every event ends up sent, spooled
 * or counted as dropped: never lost silently.
 */
package io.ursprung.plugin.sink;
