package dev.qorb.spring;

import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.PoolState;
import dev.qorb.PoolStats;
import dev.qorb.resolver.Resolver;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A pool that forwards every call to another: the base of {@link QorbPoolDecorator} wrappers,
 * which override the calls they observe.
 *
 * @param <C> the connection type
 */
public abstract class DelegatingPool<C> implements Pool<C> {

    private final Pool<C> delegate;

    protected DelegatingPool(Pool<C> delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The wrapped pool. */
    protected Pool<C> delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Policy policy() {
        return delegate.policy();
    }

    @Override
    public Resolver resolver() {
        return delegate.resolver();
    }

    @Override
    public Handle<C> claim() {
        return delegate.claim();
    }

    @Override
    public Handle<C> claim(Duration timeout) {
        return delegate.claim(timeout);
    }

    @Override
    public CompletableFuture<Handle<C>> claimAsync() {
        return delegate.claimAsync();
    }

    @Override
    public PoolStats stats() {
        return delegate.stats();
    }

    @Override
    public PoolState state() {
        return delegate.state();
    }

    @Override
    public boolean drain(String backendName) {
        return delegate.drain(backendName);
    }

    @Override
    public boolean undrain(String backendName) {
        return delegate.undrain(backendName);
    }

    @Override
    public void resolveNow() {
        delegate.resolveNow();
    }

    @Override
    public void resize(UnaryOperator<Policy.Builder> change) {
        delegate.resize(change);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return delegate.awaitTermination(timeout);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
