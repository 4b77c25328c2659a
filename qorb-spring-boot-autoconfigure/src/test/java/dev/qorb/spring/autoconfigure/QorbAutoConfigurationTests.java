package dev.qorb.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.qorb.Backend;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.PoolState;
import dev.qorb.dns.DnsResolver;
import dev.qorb.resolver.FixedResolver;
import dev.qorb.resolver.Resolver;
import dev.qorb.spring.QorbClient;
import dev.qorb.spring.QorbPoolCustomizer;
import dev.qorb.spring.autoconfigure.TestConnectors.Bar;
import dev.qorb.spring.autoconfigure.TestConnectors.Foo;
import dev.qorb.spring.autoconfigure.TestConnectors.FooConnector;
import dev.qorb.spring.autoconfigure.TestConnectors.OneConnector;
import dev.qorb.spring.autoconfigure.TestConnectors.TwoConnectors;
import dev.qorb.spring.autoconfigure.endpoint.QorbEndpointAutoConfiguration;
import dev.qorb.spring.autoconfigure.health.QorbHealthContributorAutoConfiguration;
import dev.qorb.spring.autoconfigure.metrics.QorbMetricsAutoConfiguration;
import dev.qorb.spring.autoconfigure.observation.QorbObservationAutoConfiguration;
import dev.qorb.spring.actuate.QorbEndpoint;
import dev.qorb.spring.metrics.QorbMicrometerMetrics;
import dev.qorb.spring.observation.ObservedClaimsDecorator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.mock.env.MockEnvironment;

class QorbAutoConfigurationTests {

    private static final String ADDRESS = "qorb.pools.orders.resolver.fixed.addresses=127.0.0.1:7001";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QorbAutoConfiguration.class,
                    QorbHealthContributorAutoConfiguration.class, QorbMetricsAutoConfiguration.class,
                    QorbEndpointAutoConfiguration.class, QorbObservationAutoConfiguration.class));

    @Test
    void runWhenAPoolIsConfiguredShouldRegisterAPoolBeanTypedByItsConnector() {
        runner.withUserConfiguration(TwoConnectors.class).withPropertyValues(ADDRESS,
                "qorb.pools.orders.connector=fooConnector", "qorb.pools.billing.connector=barConnector",
                "qorb.pools.billing.resolver.fixed.addresses=127.0.0.1:7002,127.0.0.1:7003").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBeansOfType(Pool.class)).containsOnlyKeys("qorbPool.orders", "qorbPool.billing");
                    assertThat(ctx.getBeanProvider(ResolvableType.forClassWithGenerics(Pool.class, Foo.class))
                            .stream().map(p -> ((Pool<?>) p).name())).containsExactly("orders");
                    Pool<?> billing = ctx.getBean("qorbPool.billing", Pool.class);
                    assertThat(billing.resolver()).isInstanceOf(FixedResolver.class);
                    try (Handle<?> handle = billing.claim(Duration.ofSeconds(5))) {
                        assertThat(handle.get()).isInstanceOf(Bar.class);
                    }
                });
    }

    @Test
    void runWithDefaultsShouldApplyThemBeforeEachPoolsOwnValues() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(ADDRESS,
                "qorb.pools.billing.resolver.fixed.addresses=127.0.0.1:7002",
                "qorb.defaults.max-slots=4", "qorb.defaults.spares-wanted=2", "qorb.defaults.backend.connect-timeout=2s",
                "qorb.defaults.backend.health-interval=0", "qorb.pools.billing.max-slots=6",
                "qorb.pools.billing.claim-timeout=750ms", "qorb.pools.billing.backend.health-interval=5s").run(ctx -> {
                    Policy orders = ctx.getBean("qorbPool.orders", Pool.class).policy();
                    assertThat(orders.maxSlots()).isEqualTo(4);
                    assertThat(orders.sparesWanted()).isEqualTo(2);
                    assertThat(orders.claimTimeout()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(orders.backend().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(orders.backend().healthInterval()).isEmpty();
                    Policy billing = ctx.getBean("qorbPool.billing", Pool.class).policy();
                    assertThat(billing.maxSlots()).isEqualTo(6);
                    assertThat(billing.sparesWanted()).isEqualTo(2);
                    assertThat(billing.claimTimeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(billing.backend().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(billing.backend().healthInterval()).contains(Duration.ofSeconds(5));
                });
    }

    @Test
    void configuredPoolsGivesEachPoolTheDefaultsThenItsOwnValues() {
        MockEnvironment environment = new MockEnvironment().withProperty("qorb.defaults.max-slots", "4")
                .withProperty("qorb.pools.orders.resolver.fixed.addresses", "127.0.0.1:7001")
                .withProperty("qorb.pools.billing.resolver.fixed.addresses", "127.0.0.1:7002")
                .withProperty("qorb.pools.billing.max-slots", "6");
        Map<String, QorbPoolProperties> pools = QorbPoolRegistrar.configuredPools(environment);
        assertThat(pools).containsOnlyKeys("orders", "billing");
        assertThat(pools.get("orders").getMaxSlots()).isEqualTo(4);
        assertThat(pools.get("billing").getMaxSlots()).isEqualTo(6);
    }

    @Test
    void runWithDnsPropertiesShouldBuildADnsResolver() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(
                "qorb.pools.orders.resolver.dns.service=_echo._tcp.test.example",
                "qorb.pools.orders.resolver.dns.servers=127.0.0.1:53", "qorb.pools.orders.resolver.dns.family=ipv4-only",
                "qorb.pools.orders.resolver.dns.query-interval=5s").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean("qorbPool.orders", Pool.class).resolver()).isInstanceOf(DnsResolver.class)
                            .hasToString("DnsResolver[SRV _echo._tcp.test.example. (IPV4_ONLY)]");
                });
    }

    @Test
    void runWithAResolverBeanShouldUseIt() {
        runner.withUserConfiguration(OneConnector.class)
                .withBean("myResolver", Resolver.class, () -> FixedResolver.of(Backend.of("127.0.0.1", 7100)))
                .withBean("qorbResolver.billing", Resolver.class, () -> FixedResolver.of(Backend.of("127.0.0.1", 7200)))
                .withPropertyValues("qorb.pools.orders.resolver.bean=myResolver",
                        "qorb.pools.billing.resolver.fixed.addresses=127.0.0.1:7002").run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean("qorbPool.orders", Pool.class).resolver())
                            .isSameAs(ctx.getBean("myResolver"));
                    assertThat(ctx.getBean("qorbPool.billing", Pool.class).resolver())
                            .isSameAs(ctx.getBean("qorbResolver.billing"));
                });
    }

    @Test
    void runWithAUserPoolBeanOfThatNameShouldKeepIt() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(ADDRESS)
                .withBean("qorbPool.orders", Pool.class, () -> Pool.builder("mine", new FooConnector())
                        .resolver(FixedResolver.of(Backend.of("127.0.0.1", 7300))).build())
                .run(ctx -> assertThat(ctx.getBean("qorbPool.orders", Pool.class).name()).isEqualTo("mine"));
    }

    @Test
    void runWithACustomizerShouldApplyItBeforeTheBuild() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(ADDRESS)
                .withBean(QorbPoolCustomizer.class, () -> (name, builder) -> builder.policy(
                        builder.policy().toBuilder().claimTimeout(Duration.ofSeconds(3)).build()))
                .run(ctx -> assertThat(ctx.getBean("qorbPool.orders", Pool.class).policy().claimTimeout())
                        .isEqualTo(Duration.ofSeconds(3)));
    }

    @Test
    void runWithACustomizerForOnePoolShouldApplyItToThatPoolOnly() {
        runner.withUserConfiguration(OneConnector.class)
                .withPropertyValues(ADDRESS, "qorb.pools.billing.resolver.fixed.addresses=127.0.0.1:7002")
                .withBean(QorbPoolCustomizer.class, () -> QorbPoolCustomizer.forPool("billing", builder -> builder
                        .policy(builder.policy().toBuilder().claimTimeout(Duration.ofSeconds(3)).build())))
                .run(ctx -> {
                    assertThat(ctx.getBean("qorbPool.billing", Pool.class).policy().claimTimeout())
                            .isEqualTo(Duration.ofSeconds(3));
                    assertThat(ctx.getBean("qorbPool.orders", Pool.class).policy().claimTimeout())
                            .isEqualTo(Duration.ofSeconds(30));
                });
    }

    @Test
    void runWithACustomizerForAPoolThatDoesNotExistShouldFail() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(ADDRESS)
                .withBean(QorbPoolCustomizer.class, () -> QorbPoolCustomizer.forPool("ordrs", builder -> { }))
                .run(ctx -> assertThat(ctx).hasFailed().getFailure().rootCause().hasMessage(
                        "QorbPoolCustomizer.forPool(\"ordrs\") names no configured pool; the pools are [orders]"));
    }

    @Test
    void runWhenDisabledShouldBackOffEverywhere() {
        runner.withUserConfiguration(OneConnector.class).withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues(ADDRESS, "qorb.enabled=false", "management.endpoints.web.exposure.include=qorb",
                        "qorb.observation.enabled=true")
                .withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(Pool.class)
                        .doesNotHaveBean(QorbPoolFactory.class).doesNotHaveBean(QorbProperties.class)
                        .doesNotHaveBean(QorbMicrometerMetrics.class).doesNotHaveBean(QorbEndpoint.class)
                        .doesNotHaveBean(ObservedClaimsDecorator.class).doesNotHaveBean(HealthContributor.class));
    }

    @Test
    void runWithoutPoolsShouldRegisterNoHealthContributor() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues("qorb.defaults.claim-timeout=5s")
                .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(Pool.class)
                        .doesNotHaveBean(HealthContributor.class));
    }

    @Test
    void runWithAnObservationRegistryShouldObserveClaimsOnlyWhenAskedTo() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(ADDRESS)
                .withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(ctx -> assertThat(ctx).doesNotHaveBean(ObservedClaimsDecorator.class));
    }

    @Test
    void runWithoutActuatorOrMicrometerShouldStillCreatePools() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(ADDRESS)
                .withClassLoader(new FilteredClassLoader(HealthContributor.class, MeterBinder.class,
                        ObservationRegistry.class, org.springframework.boot.actuate.endpoint.annotation.Endpoint.class))
                .run(ctx -> assertThat(ctx).hasNotFailed().hasBean("qorbPool.orders")
                        .doesNotHaveBean(HealthContributor.class).doesNotHaveBean(QorbMicrometerMetrics.class)
                        .doesNotHaveBean(QorbEndpoint.class).doesNotHaveBean(ObservedClaimsDecorator.class));
    }

    @Test
    void runWithMicrometerAndObservationShouldInstrumentClaims() {
        List<String> observed = new java.util.concurrent.CopyOnWriteArrayList<>();
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(ADDRESS, "qorb.observation.enabled=true")
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(ObservationRegistry.class, () -> {
                    ObservationRegistry registry = ObservationRegistry.create();
                    registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
                        @Override
                        public boolean supportsContext(Observation.Context context) {
                            return true;
                        }

                        @Override
                        public void onStop(Observation.Context context) {
                            observed.add(context.getName() + " " + context.getLowCardinalityKeyValues().stream()
                                    .map(kv -> kv.getKey() + "=" + kv.getValue()).sorted().toList());
                        }
                    });
                    return registry;
                })
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(QorbMicrometerMetrics.class).hasSingleBean(ObservedClaimsDecorator.class)
                            .hasBean("qorbHealthContributor");
                    Pool<?> pool = ctx.getBean("qorbPool.orders", Pool.class);
                    pool.claim(Duration.ofSeconds(5)).close();
                    MeterRegistry registry = ctx.getBean(MeterRegistry.class);
                    assertThat(registry.get("qorb.claims.wait").tag("pool", "orders").tag("outcome", "claimed")
                            .functionTimer().count()).isEqualTo(1);
                    assertThat(observed).containsExactly("qorb.claim [outcome=claimed, pool=orders]");
                });
    }

    @Test
    void runWithTheEndpointExposedShouldCreateIt() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(ADDRESS)
                .run(ctx -> assertThat(ctx).doesNotHaveBean(QorbEndpoint.class));
        runner.withUserConfiguration(OneConnector.class)
                .withPropertyValues(ADDRESS, "management.endpoints.web.exposure.include=qorb")
                .run(ctx -> assertThat(ctx).hasSingleBean(QorbEndpoint.class));
    }

    @Test
    void runWithTheHealthIndicatorDisabledShouldNotCreateIt() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(ADDRESS, "management.health.qorb.enabled=false")
                .run(ctx -> assertThat(ctx).doesNotHaveBean("qorbHealthContributor"));
    }

    @Test
    void shutdownClosesThePoolsAndWaitsForClaimedConnectionsToComeBack() {
        runner.withUserConfiguration(OneConnector.class).withPropertyValues(ADDRESS, "qorb.shutdown-timeout=20s")
                .run(ctx -> {
                    Pool<?> pool = ctx.getBean("qorbPool.orders", Pool.class);
                    Handle<?> held = pool.claim(Duration.ofSeconds(5));
                    Thread closer = new Thread(ctx::close);
                    closer.start();
                    await().until(() -> pool.state() == PoolState.STOPPING);
                    assertThat(closer.isAlive()).isTrue();
                    held.close();
                    closer.join(10_000);
                    assertThat(closer.isAlive()).isFalse();
                    assertThat(pool.state()).isEqualTo(PoolState.STOPPED);
                });
    }

    // --- @QorbClient ---

    static class Clients {
        @QorbClient("orders")
        Pool<Foo> field;

        final Pool<Bar> constructorParameter;

        Clients(@QorbClient("billing") Pool<Bar> billing) {
            this.constructorParameter = billing;
        }
    }

    record BeanMethodClient(Pool<Foo> pool) {
    }

    @Configuration(proxyBeanMethods = false)
    static class ClientConfiguration {
        @Bean
        Clients clients(@QorbClient("billing") Pool<Bar> billing) {
            return new Clients(billing);
        }

        @Bean
        BeanMethodClient beanMethodClient(@QorbClient("orders") Pool<Foo> orders) {
            return new BeanMethodClient(orders);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FieldClient {
        @Autowired
        void unused() {
        }

        @QorbClient("orders")
        Pool<Foo> orders;
    }

    @Test
    void qorbClientInjectsTheNamedPoolOnFieldsConstructorsAndBeanMethods() {
        runner.withUserConfiguration(TwoConnectors.class, ClientConfiguration.class, FieldClient.class)
                .withPropertyValues(ADDRESS, "qorb.pools.orders.connector=fooConnector",
                        "qorb.pools.billing.connector=barConnector",
                        "qorb.pools.billing.resolver.fixed.addresses=127.0.0.1:7002")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(BeanMethodClient.class).pool().name()).isEqualTo("orders");
                    assertThat(ctx.getBean(Clients.class).constructorParameter.name()).isEqualTo("billing");
                    assertThat(ctx.getBean(FieldClient.class).orders.name()).isEqualTo("orders");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class UnknownClient {
        @QorbClient("payments")
        Pool<Foo> payments;
    }

    @Configuration(proxyBeanMethods = false)
    static class MistypedClient {
        @QorbClient("orders")
        Pool<Bar> orders;
    }

    @Test
    void qorbClientWithAnUnknownNameFailsListingTheConfiguredPools() {
        AtomicReference<GenericApplicationContext> source = new AtomicReference<>();
        runner.withUserConfiguration(OneConnector.class, UnknownClient.class).withPropertyValues(ADDRESS)
                .withInitializer(context -> source.set((GenericApplicationContext) context))
                .run(ctx -> {
                    FailureAnalysis analysis = clientAnalysis(ctx, source.get());
                    assertThat(analysis.getDescription()).startsWith("@QorbClient(\"payments\") names no configured pool.")
                            .contains("Configured pools: {orders=dev.qorb.Pool<dev.qorb.spring.autoconfigure.TestConnectors$Foo>}");
                    assertThat(analysis.getAction()).isEqualTo(
                            "Configure the pool under qorb.pools.payments.*, or use one of the names [orders].");
                });
    }

    @Test
    void qorbClientWithTheWrongConnectionTypeFailsSayingSo() {
        AtomicReference<GenericApplicationContext> source = new AtomicReference<>();
        runner.withUserConfiguration(OneConnector.class, MistypedClient.class).withPropertyValues(ADDRESS)
                .withInitializer(context -> source.set((GenericApplicationContext) context))
                .run(ctx -> assertThat(clientAnalysis(ctx, source.get()).getDescription()).startsWith(
                        "@QorbClient(\"orders\") asks for dev.qorb.Pool<dev.qorb.spring.autoconfigure.TestConnectors$Bar>"
                                + " but pool 'orders' is a dev.qorb.Pool<dev.qorb.spring.autoconfigure.TestConnectors$Foo>"));
    }

    private static FailureAnalysis clientAnalysis(AssertableApplicationContext ctx, GenericApplicationContext source) {
        assertThat(ctx).hasFailed();
        FailureAnalysis analysis = new QorbClientFailureAnalyzer(source.getBeanFactory()).analyze(ctx.getStartupFailure());
        assertThat(analysis).as("analysis of %s", ctx.getStartupFailure()).isNotNull();
        return analysis;
    }
}
