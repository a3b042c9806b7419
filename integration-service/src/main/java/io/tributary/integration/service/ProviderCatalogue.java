package io.tributary.integration.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.tributary.integration.Provider;
import io.tributary.kit.problem.Problem;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The providers Tributary knows, read from {@code provider-catalogue.json}: adding a provider is a
 * data change, not a code branch. Also checks an integration's config against its provider's schema.
 */
@ApplicationScoped
public class ProviderCatalogue {

    private static final String RESOURCE = "provider-catalogue.json";
    /** Config is stored and sent in events in clear; credentials belong in oauth-service. */
    private static final Pattern SECRET_LIKE = Pattern.compile(
            ".*(secret|password|passwd|token|api[_-]?key|apikey|private[_-]?key|credential).*");

    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final Map<String, JsonSchema> configSchemas = new LinkedHashMap<>();
    private final ObjectMapper mapper;

    public ProviderCatalogue(ObjectMapper mapper) {
        this.mapper = mapper;
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            for (JsonNode entry : mapper.readTree(in).get("providers")) {
                Provider provider = mapper.treeToValue(entry, Provider.class);
                Provider withSchema = new Provider(provider.id(), provider.displayName(), provider.type(),
                        provider.authKind(), provider.syncService(), provider.defaultFrequency(),
                        provider.availability(), provider.webhooks(), entry.get("configSchema"));
                providers.put(provider.id(), withSchema);
                configSchemas.put(provider.id(), factory.getSchema(entry.get("configSchema"), config));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    public Collection<Provider> all() {
        return providers.values();
    }

    public Optional<Provider> find(String id) {
        return Optional.ofNullable(id).map(providers::get);
    }

    /** The problems with a config for this provider, as {@code config.<path>} field errors; empty when valid. */
    public List<Problem.FieldError> configProblems(Provider provider, Map<String, Object> config) {
        List<Problem.FieldError> problems = new ArrayList<>();
        JsonNode tree = mapper.valueToTree(config);
        tree.fieldNames().forEachRemaining(key -> {
            if (SECRET_LIKE.matcher(key.toLowerCase(Locale.ROOT)).matches()) {
                problems.add(new Problem.FieldError("config." + key,
                        "secrets do not belong in config; send them to the credentials endpoint"));
            }
        });
        if (!problems.isEmpty()) {
            return problems;
        }
        configSchemas.get(provider.id()).validate(tree).forEach(message -> problems.add(new Problem.FieldError(
                "config" + fieldPath(message.getInstanceLocation().toString()), withoutLocation(message.getMessage()))));
        return problems;
    }

    /** {@code $.a.b} or {@code /a/b} becomes {@code .a.b}; the root becomes nothing. */
    private static String fieldPath(String location) {
        String path = location.startsWith("$") ? location.substring(1) : location.replace('/', '.');
        return path.equals(".") ? "" : path;
    }

    private static String withoutLocation(String message) {
        int colon = message.indexOf(": ");
        return colon >= 0 ? message.substring(colon + 2) : message;
    }
}
