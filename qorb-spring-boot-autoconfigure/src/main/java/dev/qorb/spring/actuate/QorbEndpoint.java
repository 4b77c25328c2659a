package dev.qorb.spring.actuate;

import dev.qorb.BackendStats;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.PoolStats;
import dev.qorb.dns.DnsResolver;
import dev.qorb.resolver.Resolver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.ClassUtils;

/**
 * {@code /actuator/qorb}: every pool with its policy, state, backends and resolver status;
 * {@code /actuator/qorb/{pool}} for one (404 when unknown). A POST to
 * {@code /actuator/qorb/{pool}} with {@code {"action": "drain" | "undrain", "backend": name}}
 * or {@code {"action": "resolve"}} lets an operator take a backend out before maintenance,
 * put it back, or look up backends now. Secure those write operations: with Spring Security
 * absent, anyone who reaches the management port may call them (see the README).
 * Backends' last errors and resolvers' descriptions are sanitized.
 */
@Endpoint(id = "qorb")
public class QorbEndpoint {

    private static final boolean DNS_PRESENT = ClassUtils.isPresent("org.xbill.DNS.Name",
            QorbEndpoint.class.getClassLoader());

    private final Supplier<List<Pool<?>>> pools;
    private final TextSanitizer sanitizer;

    /**
     * @param pools the pools, asked for on each call
     * @param sanitizer for text qorb did not write
     */
    public QorbEndpoint(Supplier<List<Pool<?>>> pools, TextSanitizer sanitizer) {
        this.pools = pools;
        this.sanitizer = sanitizer;
    }

    @ReadOperation
    public Map<String, Object> pools() {
        Map<String, Object> all = new LinkedHashMap<>();
        pools.get().forEach(pool -> all.put(pool.name(), describe(pool)));
        return Map.of("pools", all);
    }

    @ReadOperation
    public @Nullable Map<String, Object> pool(@Selector String pool) {
        return find(pool).map(this::describe).orElse(null);
    }

    @WriteOperation
    public WebEndpointResponse<Map<String, Object>> act(@Selector String pool, String action,
            @Nullable String backend) {
        Optional<Pool<?>> found = find(pool);
        if (found.isEmpty()) {
            return response(404, "no pool named '" + pool + "'");
        }
        Pool<?> target = found.get();
        switch (action) {
            case "resolve" -> {
                target.resolveNow();
                return response(200, "pool '" + pool + "': lookup requested");
            }
            case "drain", "undrain" -> {
                if (backend == null) {
                    return response(400, "action '" + action + "' needs a backend, one of "
                            + target.stats().backends().keySet());
                }
                boolean known = action.equals("drain") ? target.drain(backend) : target.undrain(backend);
                return known ? response(200, "pool '" + pool + "': backend " + backend + " " + action + "ed")
                        : response(404, "pool '" + pool + "' has no backend named '" + backend + "'; it has "
                                + target.stats().backends().keySet());
            }
            default -> {
                return response(400, "unknown action '" + action + "'; use drain, undrain or resolve");
            }
        }
    }

    private Optional<Pool<?>> find(String name) {
        return pools.get().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static WebEndpointResponse<Map<String, Object>> response(int status, String message) {
        return new WebEndpointResponse<>(Map.of("message", message), status);
    }

    private Map<String, Object> describe(Pool<?> pool) {
        PoolStats stats = pool.stats();
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("state", stats.state());
        description.put("claims", stats.claims());
        description.put("failedClaims", stats.failedClaims());
        description.put("waiting", stats.waiting());
        description.put("policy", policy(pool.policy()));
        Map<String, Object> backends = new LinkedHashMap<>();
        stats.backends().forEach((name, backend) -> backends.put(name, backend(backend)));
        description.put("backends", backends);
        description.put("resolver", resolver(pool.resolver()));
        return description;
    }

    private Map<String, Object> backend(BackendStats backend) {
        Map<String, Object> details = BackendDetails.of(backend, sanitizer);
        details.put("priority", backend.backend().priority());
        details.put("weight", backend.backend().weight());
        details.put("connectFailures", backend.connectFailures());
        details.put("checkFailures", backend.checkFailures());
        return details;
    }

    private static Map<String, Object> policy(Policy policy) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("sparesWanted", policy.sparesWanted());
        values.put("maxSlots", policy.maxSlots());
        values.put("rebalanceInterval", policy.rebalanceInterval().toString());
        values.put("claimTimeout", policy.claimTimeout().toString());
        values.put("leakDetectionThreshold", policy.leakDetectionThreshold().map(Object::toString).orElse(null));
        values.put("maxConnectorCalls", policy.maxConnectorCalls());
        values.put("decoherenceInterval", policy.decoherenceInterval().map(Object::toString).orElse("never"));
        Map<String, Object> backend = new LinkedHashMap<>();
        backend.put("maxSlots", policy.backend().maxSlots());
        backend.put("minBackoff", policy.backend().minBackoff().toString());
        backend.put("maxBackoff", policy.backend().maxBackoff().toString());
        backend.put("spread", policy.backend().spread().toString());
        backend.put("healthInterval", policy.backend().healthInterval().map(Object::toString).orElse("never"));
        backend.put("healthCheckTimeout", policy.backend().healthCheckTimeout().toString());
        backend.put("connectTimeout", policy.backend().connectTimeout().toString());
        backend.put("maxLifetime", policy.backend().maxLifetime().map(Object::toString).orElse("forever"));
        backend.put("idleTimeout", policy.backend().idleTimeout().toString());
        backend.put("ejectAfterFailures", policy.backend().ejectAfterFailures());
        backend.put("aliveBypassWindow", policy.backend().aliveBypassWindow().map(Object::toString).orElse("never"));
        values.put("backend", backend);
        return values;
    }

    private Map<String, Object> resolver(Resolver resolver) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("type", resolver.getClass().getSimpleName());
        description.put("description", sanitizer.sanitize("resolver", resolver.toString()));
        if (DNS_PRESENT && resolver instanceof DnsResolver dns) {
            DnsResolver.Status status = dns.status();
            description.put("name", status.name());
            description.put("lastLookup", status.lastLookup().map(Object::toString).orElse(null));
            description.put("lastError", status.lastError().map(e -> sanitizer.sanitize("lastError", e)).orElse(null));
            description.put("servers", status.servers().stream().map(s -> {
                Map<String, Object> server = new LinkedHashMap<>();
                server.put("address", s.address());
                server.put("answers", s.answers());
                server.put("errors", s.errors());
                server.put("timeouts", s.timeouts());
                server.put("lastAnswer", s.lastAnswer().map(Object::toString).orElse(null));
                server.put("lastError", s.lastError().map(e -> sanitizer.sanitize("lastError", e)).orElse(null));
                return server;
            }).toList());
            description.put("records", status.records().stream().map(r -> {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("name", r.name());
                record.put("address", r.backend().toString());
                record.put("expires", r.expires().toString());
                return record;
            }).toList());
        }
        return description;
    }
}
