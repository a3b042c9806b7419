package io.tributary.sandbox.service;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faults armed per provider at run time: the next matching requests (after {@code skip} of them)
 * fail as the provider fails, {@code times} times (-1: until cleared).
 */
@ApplicationScoped
public class Faults {

    public enum Type {
        RATE_LIMIT, SERVER_ERROR, UNAVAILABLE, SLOW, TIMEOUT, EXPIRED_TOKEN, ITEM_LOGIN_REQUIRED,
        MUTATION_DURING_PAGINATION;

        /** Whether the request filter applies it, rather than the endpoint that knows its context. */
        public boolean generic() {
            return this != ITEM_LOGIN_REQUIRED && this != MUTATION_DURING_PAGINATION;
        }
    }

    /** An armed fault; {@code path} (a suffix of the request path) narrows it to one endpoint. */
    public record Fault(Type type, int times, int skip, long delayMillis, int retryAfterSeconds, String path) {
    }

    private final Map<String, Armed> armed = new ConcurrentHashMap<>();

    private static final class Armed {
        final Fault fault;
        int skip;
        int remaining;

        Armed(Fault fault) {
            this.fault = fault;
            this.skip = fault.skip();
            this.remaining = fault.times();
        }
    }

    public void arm(String provider, Fault fault) {
        armed.put(provider, new Armed(fault));
    }

    public void clear(String provider) {
        armed.remove(provider);
    }

    public void clearAll() {
        armed.clear();
    }

    public Map<String, Fault> armed() {
        Map<String, Fault> view = new java.util.TreeMap<>();
        armed.forEach((provider, fault) -> view.put(provider, fault.fault));
        return view;
    }

    /** Takes one firing of the provider's fault when it is one of {@code types} and matches the path. */
    public Optional<Fault> take(String provider, String path, List<Type> types) {
        Armed current = armed.get(provider);
        if (current == null || !types.contains(current.fault.type())
                || (current.fault.path() != null && !path.endsWith(current.fault.path()))) {
            return Optional.empty();
        }
        synchronized (current) {
            if (current.skip > 0) {
                current.skip--;
                return Optional.empty();
            }
            if (current.remaining == 0) {
                return Optional.empty();
            }
            if (current.remaining > 0 && --current.remaining == 0) {
                armed.remove(provider, current);
            }
            return Optional.of(current.fault);
        }
    }
}
