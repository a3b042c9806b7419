package io.tributary.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.contracts.Topics;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Docker and Kubernetes side must provision what the contracts define. */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("tributary.root", "../.."));

    @Test
    void shouldCreateExactlyThePlatformTopicsInDockerCompose() throws Exception {
        String script = Files.readString(ROOT.resolve("deploy/kafka/create-topics.sh"));
        Matcher list = Pattern.compile("for topic in ([^;]+);").matcher(script);
        assertThat(list.find()).isTrue();

        List<String> topics = Arrays.asList(list.group(1).trim().split("\\s+"));

        assertThat(topics).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(script).contains("\"$topic.dlq\"");
    }

    @Test
    void shouldDefineTheRolesAndClientsTheServicesExpectInTheKeycloakRealm() throws Exception {
        JsonNode realm = new ObjectMapper().readTree(ROOT.resolve("deploy/keycloak/tributary-realm.json").toFile());

        assertThat(realm.get("realm").asText()).isEqualTo("tributary");
        assertThat(realm.findValuesAsText("name")).contains("user", "admin", "credentials:read");
        assertThat(realm.findValuesAsText("clientId")).contains("tributary-frontend", "tributary-services");
    }

    @Test
    void shouldRunEveryServiceOfTheLocalStackInDockerComposeToo() throws Exception {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));

        for (ServiceComponent.Definition service : ServiceComponent.SERVICES) {
            assertThat(compose).as(service.name()).contains("\n  " + service.name() + ":\n")
                    .contains("\"" + service.defaultPort() + ":" + service.defaultPort() + "\"");
        }
    }
}
