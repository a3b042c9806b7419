package io.tributary.integration.mapping;

import io.tributary.integration.Integration;
import io.tributary.integration.IntegrationLog;
import io.tributary.integration.Provider;
import io.tributary.integration.SyncJob;
import io.tributary.integration.rest.IntegrationViews.IntegrationView;
import io.tributary.integration.rest.IntegrationViews.LogView;
import io.tributary.integration.rest.IntegrationViews.ProviderView;
import io.tributary.integration.rest.IntegrationViews.SyncJobView;
import org.mapstruct.Mapper;
import org.mapstruct.Mapping;
import org.mapstruct.MappingConstants;

/** Entities to the API's views. */
@Mapper(componentModel = MappingConstants.ComponentModel.CDI)
public interface IntegrationMapper {

    @Mapping(target = "syncFrequency", expression = "java(integration.syncFrequency())")
    IntegrationView toView(Integration integration);

    SyncJobView toView(SyncJob job);

    LogView toView(IntegrationLog log);

    ProviderView toView(Provider provider);
}
