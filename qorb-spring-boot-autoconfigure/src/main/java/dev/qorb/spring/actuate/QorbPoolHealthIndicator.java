package dev.qorb.spring.actuate;

import dev.qorb.BackendStats;
import dev.qorb.Pool;
import dev.qorb.PoolState;
import dev.qorb.PoolStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one pool, graded by whether it can serve a claim now:
 * <ul>
 *   <li>{@code UP}: every backend that may lend is online;
 *   <li>{@link #DEGRADED}: it can serve, but some backends that may lend are offline or ejected
 *       (outlier ejection: lending nothing for a while because their connections kept failing);
 *   <li>{@code DOWN}: it cannot serve: the pool has failed, no backend that may lend is online
 *       and not ejected, every backend is drained, or the resolver reports no backend
 *       (past the startup grace);
 *   <li>{@code OUT_OF_SERVICE}: not yet able to serve within the startup grace after it started,
 *       or closing.
 * </ul>
 * The detail {@code reason} says which case applies. Details also hold the pool's state, claims,
 * waiting claims and each backend (state, slots, claims, recent failures, sanitized last error);
 * Spring Boot shows them as {@code management.endpoint.health.show-details} says.
 */
public class QorbPoolHealthIndicator implements HealthIndicator {

    /**
     * A pool that serves with some backends offline. Spring Boot maps statuses it does not know
     * to HTTP 200; the starter adds it to {@code management.endpoint.health.status.order}
     * between OUT_OF_SERVICE and UP unless the application sets that order.
     */
    public static final Status DEGRADED = new Status("DEGRADED");

    private final Pool<?> pool;
    private final long graceEndsNanos;
    private final TextSanitizer sanitizer;

    /**
     * @param pool the pool
     * @param startupGrace how long from now a pool that cannot serve yet is OUT_OF_SERVICE, not DOWN
     * @param sanitizer for the backends' last errors
     */
    public QorbPoolHealthIndicator(Pool<?> pool, Duration startupGrace, TextSanitizer sanitizer) {
        this.pool = pool;
        this.graceEndsNanos = System.nanoTime() + startupGrace.toNanos();
        this.sanitizer = sanitizer;
    }

    @Override
    public Health health() {
        PoolStats stats = pool.stats();
        Grade grade = grade(stats, System.nanoTime() - graceEndsNanos < 0);
        Map<String, Object> backends = new LinkedHashMap<>();
        stats.backends().forEach((name, backend) -> backends.put(name, BackendDetails.of(backend, sanitizer)));
        return Health.status(grade.status()).withDetail("reason", grade.reason()).withDetail("state", stats.state())
                .withDetail("backendsKnown", stats.backends().size())
                .withDetail("backendsOnline", stats.backendsOnline())
                .withDetail("claims", stats.claims())
                .withDetail("waiting", stats.waiting())
                .withDetail("backends", backends).build();
    }

    /** A status and why. */
    record Grade(Status status, String reason) {
    }

    /**
     * @param inGrace whether the pool started less than the startup grace ago
     */
    static Grade grade(PoolStats stats, boolean inGrace) {
        PoolState state = stats.state();
        if (state == PoolState.STOPPING || state == PoolState.STOPPED) {
            return new Grade(Status.OUT_OF_SERVICE, "the pool is closed");
        }
        int known = stats.backends().size();
        boolean allDrained = known > 0 && stats.backends().values().stream().allMatch(BackendStats::draining);
        if (state == PoolState.FAILED && !allDrained) {
            return new Grade(Status.DOWN, "the pool has failed: every backend is failing to connect");
        }
        int lending = 0;
        int serving = 0;
        int ejected = 0;
        for (BackendStats backend : stats.backends().values()) {
            if (!backend.draining()) {
                lending++;
                // An ejected backend lends nothing until it connects anew, whether or not its connections are closed yet.
                if (backend.ejected()) {
                    ejected++;
                } else if (backend.online()) {
                    serving++;
                }
            }
        }
        boolean starting = inGrace && state == PoolState.STARTING;
        if (known == 0) {
            return new Grade(starting ? Status.OUT_OF_SERVICE : Status.DOWN, starting
                    ? "starting: the resolver has reported no backend yet" : "the resolver reports no backend");
        }
        if (lending == 0) {
            return new Grade(Status.DOWN, "every backend is drained");
        }
        if (serving == 0 && ejected > 0) {
            return new Grade(Status.DOWN, "no backend can lend: " + ejected + " ejected, " + (lending - ejected)
                    + " offline");
        }
        if (serving == 0) {
            return new Grade(starting ? Status.OUT_OF_SERVICE : Status.DOWN, starting
                    ? "starting: no backend is online yet" : "no backend is online");
        }
        if (serving < lending) {
            int offline = lending - serving - ejected;
            String why = ejected == 0 ? "offline" : offline == 0 ? "ejected" : "offline or ejected";
            return new Grade(DEGRADED, (lending - serving) + " of " + lending + " backends " + why);
        }
        return new Grade(Status.UP, serving + (serving == 1 ? " backend" : " backends") + " online");
    }
}
