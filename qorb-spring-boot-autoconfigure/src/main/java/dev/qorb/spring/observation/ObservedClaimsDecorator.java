package dev.qorb.spring.observation;

import dev.qorb.ClaimException;
import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.spring.ClaimWatchingPool;
import dev.qorb.spring.QorbPoolDecorator;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Locale;

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
        return new ClaimWatchingPool<C, Observation>(pool) {
            @Override
            protected Observation started() {
                return Observation.createNotStarted("qorb.claim", registry).contextualName("qorb claim " + name())
                        .lowCardinalityKeyValue("pool", name()).start();
            }

            @Override
            protected void finished(Observation observation, Handle<C> handle, Throwable error) {
                if (error == null) {
                    observation.lowCardinalityKeyValue("outcome", "claimed")
                            .highCardinalityKeyValue("backend", handle.backend().toString());
                } else {
                    observation.lowCardinalityKeyValue("outcome", error instanceof ClaimException claim
                            ? claim.kind().name().toLowerCase(Locale.ROOT) : "error").error(error);
                }
                observation.stop();
            }
        };
    }
}
