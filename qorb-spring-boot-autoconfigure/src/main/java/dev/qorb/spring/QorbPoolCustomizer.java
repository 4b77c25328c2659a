package dev.qorb.spring;

import dev.qorb.Pool;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Adjusts pools configured from properties before they are built: their policy, executors or
 * metrics tracker. Customizer beans run in their {@code @Order}; one made by
 * {@link #forPool} adjusts only the pool of that name.
 *
 * <pre>{@code
 * @Bean
 * QorbPoolCustomizer slowReports() {
 *     return QorbPoolCustomizer.forPool("reports", builder -> builder.policy(
 *             builder.policy().toBuilder().claimTimeout(Duration.ofMinutes(1)).build()));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface QorbPoolCustomizer {

    /**
     * @param poolName the key under {@code qorb.pools}
     * @param builder the builder, with the policy, resolver, connector and metrics tracker from
     *     the configuration already set
     */
    void customize(String poolName, Pool.Builder<?> builder);

    /**
     * The one pool this customizer is for, or {@code null} for every pool. Startup fails when
     * no pool of this name is configured.
     */
    default String poolName() {
        return null;
    }

    /** A customizer of the pool named {@code poolName} only. */
    static QorbPoolCustomizer forPool(String poolName, Consumer<Pool.Builder<?>> customizer) {
        Objects.requireNonNull(poolName, "poolName");
        Objects.requireNonNull(customizer, "customizer");
        return new QorbPoolCustomizer() {
            @Override
            public void customize(String name, Pool.Builder<?> builder) {
                customizer.accept(builder);
            }

            @Override
            public String poolName() {
                return poolName;
            }

            @Override
            public String toString() {
                return "QorbPoolCustomizer.forPool(\"" + poolName + "\")";
            }
        };
    }
}
