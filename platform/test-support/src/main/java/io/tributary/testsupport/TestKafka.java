package io.tributary.testsupport;

import io.tributary.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;
import org.jboss.logging.Logger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

/**
 * The one Kafka broker of a test JVM, started on first use: {@code KAFKA_BOOTSTRAP_SERVERS} when
 * set, a Testcontainers image when {@code TRIBUTARY_TESTCONTAINERS=true} and Docker runs, otherwise
 * a KRaft broker inside the test JVM. The in-JVM broker can be stopped and started again on the
 * same port, to test what a service does while Kafka is down.
 */
public final class TestKafka {

    private static final Logger LOG = Logger.getLogger(TestKafka.class);
    /** Held so the JUL levels set on them are not collected with the loggers. */
    private static final List<java.util.logging.Logger> MUTED = new ArrayList<>();
    private static final int PARTITIONS = 3;

    private static String bootstrapServers;
    private static KafkaClusterTestKit cluster;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrapServers == null) {
            bootstrapServers = start();
        }
        return bootstrapServers;
    }

    /** Whether this JVM runs the broker itself, and so can stop and restart it. */
    public static synchronized boolean isEmbedded() {
        bootstrapServers();
        return cluster != null;
    }

    /** Stops the in-JVM broker; clients see it go away, the controller and the data stay. */
    public static synchronized void stopBroker() {
        requireEmbedded();
        cluster.brokers().values().forEach(broker -> {
            broker.shutdown();
            broker.awaitShutdown();
        });
    }

    /** Starts the stopped in-JVM broker again, on the same port, with its data. */
    public static synchronized void startBroker() throws Exception {
        requireEmbedded();
        cluster.brokers().values().forEach(broker -> broker.startup());
        cluster.waitForReadyBrokers();
    }

    private static void requireEmbedded() {
        if (!isEmbedded()) {
            throw new IllegalStateException("Only the in-JVM broker can be stopped by a test");
        }
    }

    private static String start() {
        String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
        if (external != null && !external.isBlank()) {
            LOG.infof("Tests use the Kafka broker at KAFKA_BOOTSTRAP_SERVERS (%s)", external);
            return external;
        }
        if (TestInfrastructureMode.containersWanted() && DockerClientFactory.instance().isDockerAvailable()) {
            return startContainer();
        }
        return startEmbedded();
    }

    @SuppressWarnings("resource") // lives as long as the test JVM; Ryuk removes it
    private static String startContainer() {
        KafkaContainer container = new KafkaContainer("apache/kafka:4.1.1")
                .withEnv("KAFKA_NUM_PARTITIONS", String.valueOf(PARTITIONS));
        container.start();
        return container.getBootstrapServers();
    }

    private static String startEmbedded() {
        muteBrokerLogs();
        keepBrokerFromEndingTheJvm();
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("num.partitions", String.valueOf(PARTITIONS))
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    // one broker: the defaults of 3 replicas would leave consumer groups without a coordinator
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            createPlatformTopics(cluster.bootstrapServers());
            Runtime.getRuntime().addShutdownHook(new Thread(TestKafka::closeQuietly, "embedded-kafka-stop"));
            LOG.infof("In-JVM Kafka broker listening on %s", cluster.bootstrapServers());
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("In-JVM Kafka broker did not start", e);
        }
    }

    /** As a deployment provisions them: a consumer that subscribes first then sees partitions at once. */
    private static void createPlatformTopics(String bootstrap) throws Exception {
        List<NewTopic> topics = Topics.allWithDeadLetterTopics().stream()
                .map(name -> new NewTopic(name, PARTITIONS, (short) 1))
                .toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics).all().get();
        }
    }

    /**
     * The broker calls Exit.exit/halt on fatal paths, which can fire while shutdown hooks race at
     * JVM exit and turn a passed test run into a failed fork; as Kafka's own tests do, it logs instead.
     */
    private static void keepBrokerFromEndingTheJvm() {
        Exit.setExitProcedure((status, message) -> LOG.warnf("In-JVM broker asked to exit (%d): %s", status, message));
        Exit.setHaltProcedure((status, message) -> LOG.warnf("In-JVM broker asked to halt (%d): %s", status, message));
    }

    private static void muteBrokerLogs() {
        for (String name : List.of("kafka", "org.apache.kafka", "state.change.logger", "org.apache.zookeeper")) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
            logger.setLevel(Level.WARNING);
            MUTED.add(logger);
        }
    }

    private static void closeQuietly() {
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.debug("In-JVM Kafka broker did not stop cleanly", e);
        }
    }
}
