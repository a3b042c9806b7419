package io.tributary.oauth;

import io.tributary.oauth.support.TestSecrets;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after every other test class of the module (see junit-platform.properties) and reads the
 * service's whole log: no token, key, password or client secret the tests handed over may be in it.
 */
@Order(Integer.MAX_VALUE)
class NoSecretsInLogsTest {

    private static final Path LOG = Path.of("target/oauth-service-test.log");

    @Test
    void shouldHaveWrittenNoSecretToTheLog() throws Exception {
        assertThat(LOG).exists();
        String log = Files.readString(LOG);
        assertThat(log).as("the suite ran and logged").contains("oauth-service");
        assertThat(TestSecrets.all()).as("secrets the suite handed to the service").hasSizeGreaterThan(20);
        for (String secret : TestSecrets.all()) {
            assertThat(log).as("the log contains a secret").doesNotContain(secret);
        }
    }
}
