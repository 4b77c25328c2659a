package dev.qorb.spring.health;

import dev.qorb.Pool;
import dev.qorb.PoolStats;
import dev.qorb.spring.BackendDetails;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one pool:
 * <ul>
 *   <li>UP: at least one backend online;
 *   <li>DOWN: the pool has failed, or backends are known and none is online, or the resolver
 *       reports no backend;
 *   <li>UNKNOWN: starting, no backend has been online yet;
 *   <li>OUT_OF_SERVICE: closing or closed.
 * </ul>
 * Details: the pool's state, claims and waiting claims, and per backend its state (online,
 * offline or draining), slot counts, claims, recent failures and last error.
 */
public class QorbPoolHealthIndicator implements HealthIndicator {

    private final Pool<?> pool;

    public QorbPoolHealthIndicator(Pool<?> pool) {
        this.pool = pool;
    }

    @Override
    public Health health() {
        PoolStats stats = pool.stats();
        Health.Builder health = Health.status(status(stats)).withDetail("state", stats.state())
                .withDetail("backendsKnown", stats.backends().size())
                .withDetail("backendsOnline", stats.backendsOnline())
                .withDetail("claims", stats.claims())
                .withDetail("waiting", stats.waiting());
        Map<String, Object> backends = new LinkedHashMap<>();
        stats.backends().forEach((name, backend) -> backends.put(name, BackendDetails.of(backend)));
        return health.withDetail("backends", backends).build();
    }

    static Status status(PoolStats stats) {
        return switch (stats.state()) {
            case STOPPING, STOPPED -> Status.OUT_OF_SERVICE;
            case FAILED -> Status.DOWN;
            case STARTING -> Status.UNKNOWN;
            case RUNNING -> stats.backendsOnline() > 0 ? Status.UP : Status.DOWN;
        };
    }
}
