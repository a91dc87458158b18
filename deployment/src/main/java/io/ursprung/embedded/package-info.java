/**
 * Services Ursprung can run inside its own JVM: a single-node Kafka broker in KRaft mode, used by
 * the all-in-one master ({@code ursprung up}) and by the integration tests.
 */
package io.ursprung.embedded;
