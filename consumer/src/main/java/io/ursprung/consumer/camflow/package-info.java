/**
 * The CamFlow source: {@code ursprung consumer --source camflow}. Subscribes to an MQTT broker,
 * follows machines as they announce themselves, decodes packets (Base64 of zlib-compressed W3C
 * PROV-JSON, {@link io.ursprung.consumer.camflow.PacketDecoder}), maps CamFlow vertices and
 * relations to the same graph rows as audit data ({@link
 * io.ursprung.consumer.camflow.CamflowMapper}) and stores each packet with the relations it
 * completes in one transaction before acknowledging it ({@link
 * io.ursprung.consumer.camflow.CamflowConsumer}). docs/camflow.md has the mapping table.
 */
package io.ursprung.consumer.camflow;
