package dev.qorb.spring.metrics;

import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.spring.ClaimWatchingPool;
import dev.qorb.spring.QorbPoolDecorator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * Times every claim: {@code qorb.claims.wait}, tagged {@code pool} and {@code outcome}
 * ({@code claimed} or the failure kind), with a percentile histogram when asked for.
 */
public class ClaimTimingDecorator implements QorbPoolDecorator {

    private final MeterRegistry registry;
    private final boolean histogram;

    public ClaimTimingDecorator(MeterRegistry registry, boolean histogram) {
        this.registry = registry;
        this.histogram = histogram;
    }

    @Override
    public <C> Pool<C> decorate(Pool<C> pool) {
        return new ClaimWatchingPool<C, Long>(pool) {
            @Override
            protected Long started() {
                return System.nanoTime();
            }

            @Override
            protected void finished(Long start, Handle<C> handle, Throwable error) {
                String outcome = error == null ? "claimed" : error instanceof ClaimException claim
                        ? claim.kind().name().toLowerCase(Locale.ROOT) : "error";
                Timer.builder("qorb.claims.wait").description("Time from claim to handle, or to failure")
                        .tags("pool", name(), "outcome", outcome).publishPercentileHistogram(histogram)
                        .register(registry).record(Duration.ofNanos(System.nanoTime() - start));
            }
        };
    }
}
