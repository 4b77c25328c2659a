package dev.qorb.spring;

import dev.qorb.Pool;

/**
 * Wraps each pool configured from properties once it is built, for example to time claims;
 * the wrapper is what gets injected. Decorator beans apply in their {@code @Order}, the
 * first innermost. The wrapper must delegate every method it does not change (see
 * {@link DelegatingPool}).
 */
@FunctionalInterface
public interface QorbPoolDecorator {

    /** Returns {@code pool} or a wrapper of it. */
    <C> Pool<C> decorate(Pool<C> pool);
}
