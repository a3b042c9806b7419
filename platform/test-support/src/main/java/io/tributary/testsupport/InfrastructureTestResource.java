package io.tributary.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real PostgreSQL and a real Kafka broker. Both start once per test
 * JVM, whatever number of test classes use them; annotate every test class of a module with the
 * same {@code @WithTestResource(InfrastructureTestResource.class)} so the application boots once.
 */
public class InfrastructureTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TestDatabase.endpoint().quarkusConfig());
        config.put("kafka.bootstrap.servers", TestKafka.bootstrapServers());
        config.put("quarkus.kafka.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // the database and broker outlive one application: the next test class reuses them
    }
}
