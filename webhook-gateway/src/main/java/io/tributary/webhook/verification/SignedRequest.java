package io.tributary.webhook.verification;

import java.util.function.Function;

/** What a signature can cover: headers (case-insensitive lookup, null when absent), method, URI and raw body. */
public record SignedRequest(Function<String, String> header, String method, String uri, byte[] body) {
}
