package io.tributary.webhook.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Providers that sign nothing (amoCRM, YCLIENTS). The endpoint's unguessable URL and its source
 * allow-list are all the proof there is, checked before this runs; so the payload is never
 * trusted as data: what is published is a hint naming what changed, to be re-fetched through
 * the provider's API.
 */
@ApplicationScoped
public class UrlSecretScheme implements WebhookVerifier {

    /** amoCRM's form keys: {@code leads[add][0][id]}. */
    private static final Pattern AMOCRM_ENTITY = Pattern.compile("([a-z_]+)\\[([a-z_]+)\\]\\[(\\d+)\\]\\[id\\]");
    private static final int MAX_HINTED_ENTITIES = 500;

    @Override
    public Uni<Void> verify(SignedRequest request, List<String> secrets, Duration tolerance, Instant now) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public EventDescription describe(SignedRequest request, JsonNode payload) {
        ObjectNode hint = JsonNodeFactory.instance.objectNode();
        if (payload.isObject() && payload.has("resource")) {
            // YCLIENTS: {"company_id", "resource", "resource_id", "status", "data"}
            String resource = WebhookVerifier.text(payload, "resource");
            String status = WebhookVerifier.text(payload, "status");
            hint.put("resource", resource).put("resourceId", WebhookVerifier.text(payload, "resource_id"))
                    .put("status", status).put("companyId", WebhookVerifier.text(payload, "company_id"));
            return new EventDescription(null, resource + (status == null ? "" : "." + status), null, false, hint);
        }
        ArrayNode entities = hint.putArray("entities");
        Set<String> types = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = payload.fields(); fields.hasNext()
                && entities.size() < MAX_HINTED_ENTITIES; ) {
            Map.Entry<String, JsonNode> field = fields.next();
            Matcher matcher = AMOCRM_ENTITY.matcher(field.getKey());
            if (matcher.matches()) {
                types.add(matcher.group(1) + "." + matcher.group(2));
                entities.addObject().put("entity", matcher.group(1)).put("action", matcher.group(2))
                        .put("id", field.getValue().asText());
            }
        }
        String type = types.isEmpty() ? "unknown" : String.join(",", types);
        return new EventDescription(null, type.length() > 255 ? type.substring(0, 255) : type, null, false, hint);
    }
}
