package dev.qorb.spring;

import dev.qorb.Handle;
import dev.qorb.Pool;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A pool wrapper that sees every claim start and finish, blocking or async: the base of the
 * claim timer and the claim Observation.
 *
 * @param <C> the connection type
 * @param <T> what a watcher carries from the start of a claim to its end
 */
public abstract class ClaimWatchingPool<C, T> extends DelegatingPool<C> {

    protected ClaimWatchingPool(Pool<C> delegate) {
        super(delegate);
    }

    /** A claim starts. */
    protected abstract T started();

    /**
     * The claim ended with {@code handle}, or with {@code error} (for async claims unwrapped
     * from its {@link CompletionException}).
     */
    protected abstract void finished(T context, Handle<C> handle, Throwable error);

    @Override
    public Handle<C> claim() {
        return claim(delegate().policy().claimTimeout());
    }

    @Override
    public Handle<C> claim(Duration timeout) {
        T context = started();
        Handle<C> handle;
        try {
            handle = delegate().claim(timeout);
        } catch (RuntimeException e) {
            finished(context, null, e);
            throw e;
        }
        finished(context, handle, null);
        return handle;
    }

    @Override
    public CompletableFuture<Handle<C>> claimAsync() {
        T context = started();
        CompletableFuture<Handle<C>> claim = delegate().claimAsync();
        claim.whenComplete((handle, error) -> finished(context, handle,
                error instanceof CompletionException && error.getCause() != null ? error.getCause() : error));
        return claim;
    }
}
