package dev.qorb.spring;

import dev.qorb.Pool;

/**
 * Adjusts each pool configured from properties before it is built: its policy, its
 * executors. Customizer beans run in their {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * QorbPoolCustomizer slowBackends() {
 *     return (name, builder) -> {
 *         if (name.equals("reports")) {
 *             builder.policy(builder.policy().toBuilder().claimTimeout(Duration.ofMinutes(1)).build());
 *         }
 *     };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface QorbPoolCustomizer {

    /**
     * @param poolName the key under {@code qorb.pools}
     * @param builder the builder, with the policy, resolver and connector from properties already set
     */
    void customize(String poolName, Pool.Builder<?> builder);
}
