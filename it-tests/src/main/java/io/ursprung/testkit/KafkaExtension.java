package io.ursprung.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test the JVM's real Kafka broker: declare a {@link TestKafka} parameter (constructor,
 * lifecycle or test method) in a class annotated {@code @ExtendWith(KafkaExtension.class)}.
 */
public final class KafkaExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return TestKafka.get();
  }
}
