package io.tributary.testsupport;

import java.util.Map;

/** One record read back from a topic, with its headers as strings. */
public record TopicRecord(String topic, int partition, long offset, String key, String value,
        Map<String, String> headers) {

    public String header(String name) {
        return headers.get(name);
    }
}
