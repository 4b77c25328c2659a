package dev.qorb.spring.observation;

import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.spring.DelegatingPool;
import dev.qorb.spring.QorbPoolDecorator;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Wraps each claim in an Observation named {@code qorb.claim}, with the low-cardinality keys
 * {@code pool} and {@code outcome} and the high-cardinality key {@code backend}; handlers
 * registered with the ObservationRegistry (tracing, logging) see every claim.
 */
public class ObservedClaimsDecorator implements QorbPoolDecorator {

    private final ObservationRegistry registry;

    public ObservedClaimsDecorator(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <C> Pool<C> decorate(Pool<C> pool) {
        return new ObservedPool<>(pool);
    }

    private final class ObservedPool<C> extends DelegatingPool<C> {

        ObservedPool(Pool<C> delegate) {
            super(delegate);
        }

        @Override
        public Handle<C> claim() {
            return claim(delegate().policy().claimTimeout());
        }

        @Override
        public Handle<C> claim(Duration timeout) {
            Observation observation = Observation.createNotStarted("qorb.claim", registry)
                    .contextualName("qorb claim " + name()).lowCardinalityKeyValue("pool", name()).start();
            try {
                Handle<C> handle = delegate().claim(timeout);
                observation.lowCardinalityKeyValue("outcome", "claimed")
                        .highCardinalityKeyValue("backend", handle.backend().toString());
                return handle;
            } catch (ClaimException e) {
                observation.lowCardinalityKeyValue("outcome", e.kind().name().toLowerCase(Locale.ROOT)).error(e);
                throw e;
            } finally {
                observation.stop();
            }
        }

        @Override
        public CompletableFuture<Handle<C>> claimAsync() {
            Observation observation = Observation.createNotStarted("qorb.claim", registry)
                    .contextualName("qorb claim " + name()).lowCardinalityKeyValue("pool", name()).start();
            CompletableFuture<Handle<C>> claim = delegate().claimAsync();
            claim.whenComplete((handle, error) -> {
                if (error == null) {
                    observation.lowCardinalityKeyValue("outcome", "claimed")
                            .highCardinalityKeyValue("backend", handle.backend().toString());
                } else {
                    observation.lowCardinalityKeyValue("outcome", "failed").error(error);
                }
                observation.stop();
            });
            return claim;
        }
    }
}
