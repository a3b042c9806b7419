package io.tributary.contracts;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An event published on one of the platform's topics. Every payload carries the version of its
 * schema so that a consumer can tell an older or newer producer apart.
 */
public interface TributaryEvent {

    /** Schema version of this payload; consumers accept versions they do not know yet. */
    int version();

    /** Kafka record key: decides the partition, and so the order consumers see. */
    @JsonIgnore
    String partitionKey();
}
