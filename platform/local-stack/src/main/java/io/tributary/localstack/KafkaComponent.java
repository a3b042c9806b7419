package io.tributary.localstack;

import io.tributary.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** An Apache Kafka broker in KRaft mode (broker and controller in one JVM), from Maven Central jars. */
final class KafkaComponent implements StackComponent {

    private static final int PARTITIONS = 3;

    private final StackSettings settings;
    private ChildProcess broker;

    KafkaComponent(StackSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "Kafka";
    }

    @Override
    public void start() throws Exception {
        Path dir = settings.stackDir().resolve("kafka");
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(dir.resolve("data")));
        String classpath = settings.runtimeClasspath("kafka");
        Path log = settings.logs().resolve("kafka.log");
        ChildProcess.runJava(classpath, "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), log);
        broker = ChildProcess.startJava(List.of("-Xmx512m", "-Xms256m"), classpath, "kafka.Kafka",
                List.of(config.toString()), Map.of(), log);
        createPlatformTopics(log);
    }

    private String serverProperties(Path data) {
        int port = settings.kafkaPort();
        int controller = settings.kafkaControllerPort();
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@localhost:" + controller,
                "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controller,
                "advertised.listeners=PLAINTEXT://localhost:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=" + PARTITIONS,
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "") ;
    }

    /** Readiness and provisioning at once: the topics exist once the broker answers. */
    private void createPlatformTopics(Path log) throws Exception {
        List<NewTopic> topics = Topics.allWithDeadLetterTopics().stream()
                .map(name -> new NewTopic(name, PARTITIONS, (short) 1))
                .toList();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited; see " + log);
                }
                try {
                    admin.createTopics(topics).all().get(10, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        return;
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("Kafka did not become ready; see " + log, e.getCause());
                    }
                    TimeUnit.MILLISECONDS.sleep(250);
                }
            }
        }
    }

    String bootstrapServers() {
        return "localhost:" + settings.kafkaPort();
    }

    @Override
    public String endpoint() {
        return bootstrapServers() + "  (platform topics and their .dlq created)";
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }

    @Override
    public Optional<Long> pid() {
        return broker == null ? Optional.empty() : Optional.of(broker.pid());
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
