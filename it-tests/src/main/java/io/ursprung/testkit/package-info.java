/**
 * Reusable JUnit 5 extensions that give integration tests real services: an in-process Kafka broker
 * ({@link io.ursprung.testkit.KafkaExtension}) and a fresh PostgreSQL database per test class
 * ({@link io.ursprung.testkit.PostgresExtension}). Start from {@code ExampleEventPipelineIT}.
 */
package io.ursprung.testkit;
