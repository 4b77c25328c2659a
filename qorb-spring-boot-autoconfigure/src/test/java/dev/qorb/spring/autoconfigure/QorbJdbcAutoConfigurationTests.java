package dev.qorb.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.jdbc.JdbcConnector;
import dev.qorb.jdbc.QorbDataSource;
import dev.qorb.jdbc.testing.PostgresExtension;
import dev.qorb.spring.QorbClient;
import dev.qorb.spring.autoconfigure.TestConnectors.Foo;
import dev.qorb.spring.autoconfigure.TestConnectors.FooConnector;
import dev.qorb.spring.autoconfigure.jdbc.QorbJdbcAutoConfiguration;
import java.sql.Connection;
import java.time.Duration;
import org.springframework.boot.test.context.runner.ContextConsumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** JDBC pools from properties alone, over a real PostgreSQL server. */
class QorbJdbcAutoConfigurationTests {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension(1);

    private static final String SECRET = "not-in-any-output";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QorbAutoConfiguration.class, QorbJdbcAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class));

    private static String[] replicas(String... more) {
        String[] base = {
            "qorb.pools.replicas.resolver.fixed.addresses=127.0.0.1:" + postgres.get(1).port(),
            "qorb.pools.replicas.jdbc.url-template=jdbc:postgresql://{host}:{port}/postgres",
            "qorb.pools.replicas.jdbc.username=postgres",
            "qorb.pools.replicas.jdbc.password=" + SECRET,
            "qorb.pools.replicas.jdbc.properties.ApplicationName=qorb-spring",
            "qorb.pools.replicas.jdbc.read-only=true"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** Boot's own DataSource, as an application that also has spring.datasource.* would get it. */
    private static String[] bootDataSource() {
        return new String[] {"spring.datasource.type=" + SimpleDriverDataSource.class.getName(),
            "spring.datasource.url=" + postgres.get(1).url("postgres"), "spring.datasource.username=postgres"};
    }

    @Configuration(proxyBeanMethods = false)
    static class ReplicaReader {
        @Bean
        Reader reader(@QorbClient("replicas") DataSource replicas, @QorbClient("replicas") Pool<Connection> pool) {
            return new Reader(replicas, pool);
        }
    }

    record Reader(DataSource dataSource, Pool<Connection> pool) {
    }

    @Test
    void runWithAUrlTemplateShouldMakeTheConnectorAndADataSourceForQorbClient() {
        runner.withUserConfiguration(ReplicaReader.class).withPropertyValues(replicas()).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            Reader reader = ctx.getBean(Reader.class);
            assertThat(reader.dataSource()).isInstanceOf(QorbDataSource.class);
            assertThat(((QorbDataSource) reader.dataSource()).pool()).isSameAs(reader.pool());
            try (Connection connection = reader.dataSource().getConnection()) {
                assertThat(connection.isReadOnly()).isTrue();
            }
            assertThat(new JdbcTemplate(reader.dataSource())
                    .queryForObject("SELECT current_setting('application_name')", String.class)).isEqualTo("qorb-spring");
            JdbcConnector connector = ctx.getBean("qorbConnector.replicas", JdbcConnector.class);
            assertThat(connector.toString()).doesNotContain(SECRET);
        });
    }

    @Test
    void runWithAPrimaryJdbcPoolShouldMakeItTheApplicationsDataSource() {
        runner.withPropertyValues(replicas("qorb.pools.replicas.jdbc.primary=true"))
                .withPropertyValues(bootDataSource()).run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBeansOfType(DataSource.class)).containsOnlyKeys("qorbDataSource.replicas");
                    JdbcTemplate template = ctx.getBean(JdbcTemplate.class);
                    assertThat(template.getDataSource()).isInstanceOf(QorbDataSource.class);
                    assertThat(template.queryForObject("SELECT current_setting('application_name')", String.class))
                            .isEqualTo("qorb-spring");
                });
    }

    @Test
    void runWithANonPrimaryJdbcPoolShouldLeaveBootsDataSourceAlone() {
        runner.withUserConfiguration(ReplicaReader.class).withPropertyValues(replicas())
                .withPropertyValues(bootDataSource()).run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBeansOfType(DataSource.class)).containsOnlyKeys("dataSource",
                            "qorbDataSource.replicas");
                    assertThat(ctx.getBean(DataSource.class)).isInstanceOf(SimpleDriverDataSource.class);
                    assertThat(ctx.getBean(JdbcTemplate.class).getDataSource()).isInstanceOf(SimpleDriverDataSource.class);
                    assertThat(ctx.getBean(Reader.class).dataSource()).isInstanceOf(QorbDataSource.class);
                });
    }

    @Test
    void runWithAJdbcPoolBesideAnotherPoolShouldGiveEachItsConnector() {
        runner.withBean(FooConnector.class, FooConnector::new).withUserConfiguration(ReplicaReader.class)
                .withPropertyValues(replicas("qorb.pools.orders.resolver.fixed.addresses=127.0.0.1:7001"))
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    try (Handle<?> handle = ctx.getBean("qorbPool.orders", Pool.class).claim(Duration.ofSeconds(5))) {
                        assertThat(handle.get()).isInstanceOf(Foo.class);
                    }
                    try (Connection connection = ctx.getBean(Reader.class).dataSource().getConnection()) {
                        assertThat(connection.isValid(1)).isTrue();
                    }
                });
    }

    @Test
    void runWithoutJdbcPropertiesShouldRegisterNoDataSource() {
        runner.withBean(FooConnector.class, FooConnector::new)
                .withPropertyValues("qorb.pools.orders.resolver.fixed.addresses=127.0.0.1:7001")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed().doesNotHaveBean(DataSource.class);
                    assertThat(ctx.getBeanProvider(DataSource.class).getIfAvailable()).isNull();
                });
    }

    @Test
    void runWithATemplateWithoutHostShouldFailNamingTheProperty() {
        runner.withPropertyValues(replicas("qorb.pools.replicas.jdbc.url-template=jdbc:postgresql://db:{port}/x"))
                .run(failsOn("qorb.pools.replicas.jdbc.url-template", "has no {host}"));
    }

    @Test
    void runWithAUrlForAMissingDriverShouldFailNamingTheProperty() {
        runner.withPropertyValues(replicas("qorb.pools.replicas.jdbc.url-template=jdbc:nosuchdb://{host}:{port}/x"))
                .run(failsOn("qorb.pools.replicas.jdbc.url-template", "no JDBC driver for 'nosuchdb'"));
    }

    @Test
    void runWithAUrlTheDriverRejectsShouldFailNamingTheProperty() {
        runner.withPropertyValues(replicas("qorb.pools.replicas.jdbc.url-template=jdbc:postgresql://{host}:{port}x/x"))
                .run(failsOn("qorb.pools.replicas.jdbc.url-template", "not a URL that org.postgresql.Driver accepts"));
    }

    @Test
    void runWithJdbcPropertiesButNoUrlTemplateShouldFail() {
        runner.withPropertyValues("qorb.pools.replicas.resolver.fixed.addresses=127.0.0.1:5432",
                "qorb.pools.replicas.jdbc.username=postgres")
                .run(failsOn("qorb.pools.replicas.jdbc.url-template", "is not set, but other"));
    }

    @Test
    void runWithAConnectorAndJdbcPropertiesShouldFail() {
        runner.withBean("fooConnector", FooConnector.class, FooConnector::new)
                .withPropertyValues(replicas("qorb.pools.replicas.connector=fooConnector"))
                .run(failsOn("qorb.pools.replicas.connector", "a JDBC pool's connector is made from"));
    }

    @Test
    void runWithTwoPrimaryJdbcPoolsShouldFail() {
        runner.withPropertyValues(replicas("qorb.pools.replicas.jdbc.primary=true",
                "qorb.pools.other.resolver.fixed.addresses=127.0.0.1:5432",
                "qorb.pools.other.jdbc.url-template=jdbc:postgresql://{host}:{port}/postgres",
                "qorb.pools.other.jdbc.primary=true"))
                .run(failsOn("qorb.pools.other.jdbc.primary", "pool 'replicas' is the primary DataSource already"));
    }

    @Test
    void runWithJdbcPropertiesButNoQorbJdbcShouldSayWhatToAdd() {
        runner.withClassLoader(new FilteredClassLoader(QorbDataSource.class)).withPropertyValues(replicas())
                .run(failsOn("qorb.pools.replicas.jdbc.url-template", "JDBC pools need qorb-jdbc"));
    }

    /** The context failed on {@code property}, and the failure analysis shows the property, the problem and the fix. */
    private static ContextConsumer<AssertableApplicationContext> failsOn(String property, String problem) {
        return ctx -> {
            assertThat(ctx).hasFailed();
            QorbConfigurationException cause = findCause(ctx.getStartupFailure());
            assertThat(cause).as("%s", ctx.getStartupFailure()).isNotNull();
            assertThat(cause.property()).isEqualTo(property);
            FailureAnalysis analysis = new QorbConfigurationFailureAnalyzer().analyze(ctx.getStartupFailure());
            assertThat(analysis.getDescription()).contains("Property: " + property, problem);
            assertThat(analysis.getAction()).isNotBlank();
        };
    }

    private static QorbConfigurationException findCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof QorbConfigurationException e) {
                return e;
            }
        }
        return null;
    }
}
