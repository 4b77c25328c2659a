package dev.qorb.spring.metrics;

import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.spring.DelegatingPool;
import dev.qorb.spring.QorbPoolDecorator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
        return new TimedPool<>(pool);
    }

    private Timer timer(String pool, String outcome) {
        return Timer.builder("qorb.claims.wait").description("Time from claim to handle, or to failure")
                .tags("pool", pool, "outcome", outcome).publishPercentileHistogram(histogram).register(registry);
    }

    private static String outcome(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof ClaimException claim ? claim.kind().name().toLowerCase(Locale.ROOT) : "error";
    }

    private final class TimedPool<C> extends DelegatingPool<C> {

        TimedPool(Pool<C> delegate) {
            super(delegate);
        }

        @Override
        public Handle<C> claim() {
            return claim(delegate().policy().claimTimeout());
        }

        @Override
        public Handle<C> claim(Duration timeout) {
            long start = System.nanoTime();
            String outcome = "claimed";
            try {
                return delegate().claim(timeout);
            } catch (RuntimeException e) {
                outcome = outcome(e);
                throw e;
            } finally {
                timer(name(), outcome).record(Duration.ofNanos(System.nanoTime() - start));
            }
        }

        @Override
        public CompletableFuture<Handle<C>> claimAsync() {
            long start = System.nanoTime();
            CompletableFuture<Handle<C>> claim = delegate().claimAsync();
            claim.whenComplete((handle, error) -> timer(name(), error == null ? "claimed" : outcome(error))
                    .record(Duration.ofNanos(System.nanoTime() - start)));
            return claim;
        }
    }
}
