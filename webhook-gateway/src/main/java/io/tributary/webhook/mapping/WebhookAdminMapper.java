package io.tributary.webhook.mapping;

import io.tributary.webhook.repository.WebhookEndpointRepository.StoredEndpoint;
import io.tributary.webhook.repository.WebhookEventRepository.Summary;
import io.tributary.webhook.rest.WebhookAdminViews.EndpointView;
import io.tributary.webhook.rest.WebhookAdminViews.EventView;
import org.mapstruct.Mapper;
import org.mapstruct.Mapping;

@Mapper(componentModel = "cdi")
public interface WebhookAdminMapper {

    EventView toView(Summary summary);

    @Mapping(target = "secretCount", source = "secretCount")
    @Mapping(target = "url", source = "url")
    EndpointView toView(StoredEndpoint endpoint, int secretCount, String url);
}
