package io.tributary.sandbox.rest;

import io.smallrye.mutiny.Uni;
import io.tributary.sandbox.service.Faults;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Fails a provider's requests as that provider fails them, while a fault is armed for it. */
public class FaultFilter {

    private static final List<Faults.Type> GENERIC = Arrays.stream(Faults.Type.values())
            .filter(Faults.Type::generic).toList();

    private final Faults faults;

    public FaultFilter(Faults faults) {
        this.faults = faults;
    }

    @ServerRequestFilter
    public Uni<Response> inject(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String[] segments = path.split("/");
        if (segments.length < 3 || "admin".equals(segments[1]) || "q".equals(segments[1])) {
            return Uni.createFrom().nullItem();
        }
        String provider = segments[1];
        return faults.take(provider, path, GENERIC)
                .map(fault -> switch (fault.type()) {
                    case SLOW -> Uni.createFrom().<Response>nullItem().onItem()
                            .delayIt().by(Duration.ofMillis(Math.max(1, fault.delayMillis())));
                    case TIMEOUT -> Uni.createFrom().item(ProviderFaults.response(provider, fault, path)).onItem()
                            .delayIt().by(Duration.ofMillis(fault.delayMillis() > 0 ? fault.delayMillis() : 30_000));
                    default -> Uni.createFrom().item(ProviderFaults.response(provider, fault, path));
                })
                .orElseGet(() -> Uni.createFrom().nullItem());
    }

    /** The failures in each provider's own shape (shared/providers.md sections 2 and 4). */
    static final class ProviderFaults {

        private ProviderFaults() {
        }

        static Response response(String provider, Faults.Fault fault, String path) {
            int status = switch (fault.type()) {
                case RATE_LIMIT -> 429;
                case SERVER_ERROR -> 500;
                case UNAVAILABLE -> 503;
                case TIMEOUT -> 504;
                case EXPIRED_TOKEN -> "plaid".equals(provider) ? 400 : 401;
                default -> 500;
            };
            Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON);
            int retryAfter = fault.retryAfterSeconds() > 0 ? fault.retryAfterSeconds() : 1;
            switch (provider) {
                case "plaid" -> response.entity(plaid(fault.type(), path));
                case "stripe" -> {
                    response.entity(Map.of("error", stripe(fault.type())));
                    // stripe-java retries a 5xx, and never a 429 that does not say so
                    response.header("Stripe-Should-Retry", status >= 500 ? "true" : "false");
                }
                case "xero" -> {
                    if (status == 429) {
                        response.header("Retry-After", retryAfter).header("X-Rate-Limit-Problem", "minute")
                                .header("X-MinLimit-Remaining", 0);
                    }
                    if (status == 401) {
                        response.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                    }
                    response.entity(Map.of("Type", "", "Title", title(fault.type()), "Status", status,
                            "Detail", fault.type() == Faults.Type.EXPIRED_TOKEN ? "TokenExpired: token expired"
                                    : title(fault.type())));
                }
                case "quickbooks" -> {
                    if (status == 429) {
                        response.header("Retry-After", retryAfter);
                    }
                    response.entity(Map.of("Fault", Map.of("type", status == 401 ? "AUTHENTICATION" : "SERVICE",
                            "Error", List.of(Map.of("Message", status == 401 ? "message=AuthenticationFailed; "
                                    + "errorCode=003200; statusCode=401" : title(fault.type()),
                                    "code", status == 401 ? "3200" : status == 429 ? "003001" : "10000")))));
                }
                case "ynab" -> {
                    String name = switch (status) {
                        case 429 -> "too_many_requests";
                        case 401 -> "unauthorized";
                        case 503 -> "service_unavailable";
                        case 504 -> "gateway_timeout";
                        default -> "internal_server_error";
                    };
                    Response.ResponseBuilder ynab = Response.fromResponse(YnabResource.error(status,
                            String.valueOf(status), name, title(fault.type())));
                    if (status == 429) {
                        ynab.header("Retry-After", retryAfter);
                    }
                    return ynab.build();
                }
                case "paypal" -> {
                    if (status == 401) {
                        return Response.status(401).type(MediaType.APPLICATION_JSON).entity(Map.of("error",
                                "invalid_token", "error_description", "Access Token not found in cache")).build();
                    }
                    Response.ResponseBuilder paypal = Response.fromResponse(PayPalResource.error(status,
                            switch (status) {
                                case 429 -> "RATE_LIMIT_REACHED";
                                case 503 -> "SERVICE_UNAVAILABLE";
                                default -> "INTERNAL_SERVER_ERROR";
                            }, title(fault.type()), List.of()));
                    if (status == 429) {
                        paypal.header("Retry-After", retryAfter);
                    }
                    return paypal.build();
                }
                case "amocrm" -> {
                    // amoCRM: a 429 may come without JSON; other errors are problem+json
                    if (status == 429) {
                        return Response.status(429).type("text/html").entity("<html><body>429 Too Many Requests"
                                + "</body></html>").build();
                    }
                    return Response.status(status).type("application/problem+json").entity(Map.of("title",
                            title(fault.type()), "type", "https://httpstatus.es/" + status, "status", status,
                            "detail", title(fault.type()))).build();
                }
                case "hsbc", "barclays", "lloyds", "santander" -> {
                    // Open Banking: 429 with Retry-After and maybe no body; 401 may have none either
                    if (status == 429 || status == 401) {
                        return status == 429 ? Response.status(429).header("Retry-After", retryAfter).build()
                                : Response.status(401).build();
                    }
                    return OpenBankingResource.error(status, java.util.UUID.randomUUID().toString(),
                            "UK.OBIE.UnexpectedError", title(fault.type()), null);
                }
                default -> {
                    if (status == 429) {
                        response.header("Retry-After", retryAfter);
                    }
                    response.entity(Map.of("error", title(fault.type())));
                }
            }
            return response.build();
        }

        private static Map<String, Object> plaid(Faults.Type type, String path) {
            String[] error = switch (type) {
                case RATE_LIMIT -> new String[] {"RATE_LIMIT_EXCEEDED", path.endsWith("/transactions/sync")
                        ? "TRANSACTIONS_SYNC_LIMIT" : path.contains("/accounts/") ? "ACCOUNTS_LIMIT" : "RATE_LIMIT",
                        "rate limit exceeded for attempts to access this item. please try again later"};
                case UNAVAILABLE -> new String[] {"API_ERROR", "PLANNED_MAINTENANCE",
                        "the Plaid API is temporarily unavailable due to planned maintenance. visit "
                                + "https://status.plaid.com/ for more information"};
                case EXPIRED_TOKEN -> new String[] {"INVALID_INPUT", "INVALID_ACCESS_TOKEN",
                        "provided access token is in an invalid format"};
                default -> new String[] {"API_ERROR", "INTERNAL_SERVER_ERROR",
                        "an unexpected error occurred"};
            };
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("error_type", error[0]);
            body.put("error_code", error[1]);
            body.put("error_message", error[2]);
            body.put("display_message", null);
            body.put("request_id", PlaidResource.requestId());
            return body;
        }

        private static Map<String, String> stripe(Faults.Type type) {
            return switch (type) {
                case RATE_LIMIT -> Map.of("type", "invalid_request_error", "code", "rate_limit",
                        "message", "Too many requests hit the API too quickly.");
                case EXPIRED_TOKEN -> Map.of("type", "invalid_request_error", "code", "api_key_expired",
                        "message", "Expired API Key provided");
                default -> Map.of("type", "api_error", "message", "An unknown error occurred");
            };
        }

        private static String title(Faults.Type type) {
            return switch (type) {
                case RATE_LIMIT -> "Too Many Requests";
                case UNAVAILABLE -> "Service Unavailable";
                case TIMEOUT -> "Gateway Timeout";
                case EXPIRED_TOKEN -> "Unauthorized";
                default -> "Internal Server Error";
            };
        }
    }
}
