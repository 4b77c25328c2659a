package dev.qorb.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qorb.Backend;
import dev.qorb.Pool;
import dev.qorb.connector.Connector;
import dev.qorb.resolver.FixedResolver;
import dev.qorb.resolver.Resolver;
import dev.qorb.spring.autoconfigure.TestConnectors.Foo;
import dev.qorb.spring.autoconfigure.TestConnectors.FooConnector;
import dev.qorb.spring.autoconfigure.TestConnectors.OneConnector;
import dev.qorb.spring.autoconfigure.TestConnectors.TwoConnectors;
import dev.qorb.spring.autoconfigure.endpoint.QorbEndpointAutoConfiguration;
import dev.qorb.spring.autoconfigure.health.QorbHealthContributorAutoConfiguration;
import dev.qorb.spring.autoconfigure.metrics.QorbMetricsAutoConfiguration;
import dev.qorb.spring.autoconfigure.observation.QorbObservationAutoConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Configurations a new user might write, each a file under {@code catalogue/}: every one under
 * {@code broken/} must fail startup with Spring Boot's failure report naming the property as the
 * file wrote it, the problem and what to do (its header says which); every one under
 * {@code valid/} must start, with the pools its header lists. The applications are real Spring
 * Boot applications reading the file as their application.yml.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationCatalogueTest {

    /** The broken cases, by file name. */
    static Stream<String> broken() {
        return cases("broken");
    }

    static Stream<String> valid() {
        return cases("valid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void aBrokenConfigurationFailsStartupNamingThePropertyAsWrittenAndTheFix(String file, CapturedOutput output) {
        Map<String, String> header = header("broken/" + file);
        int before = output.length();
        assertThatThrownBy(() -> application("broken/" + file, header, QorbOnly.class).run().close())
                .as("%s must fail startup", file).isNotNull();
        String report = output.toString().substring(before);
        assertThat(report).as("the failure report of %s", file).contains("APPLICATION FAILED TO START")
                .contains("\n    Property: " + header.get("property") + "\n")
                .contains("\n    Problem:  " + header.get("problem"));
        assertThat(report.substring(report.indexOf("\nAction:\n"))).as("the action for %s", file)
                .contains(header.get("action"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void aValidConfigurationStartsWithItsPools(String file) {
        Map<String, String> header = header("valid/" + file);
        try (ConfigurableApplicationContext context = application("valid/" + file, header, FullApplication.class)
                .run()) {
            List<String> pools = header.get("pools").isBlank() ? List.of()
                    : Arrays.stream(header.get("pools").split(",")).map(String::strip).toList();
            assertThat(context.getBeansOfType(Pool.class).values()).extracting(pool -> ((Pool<?>) pool).name())
                    .containsExactlyInAnyOrderElementsOf(pools);
        }
    }

    private static SpringApplicationBuilder application(String file, Map<String, String> header, Class<?> app) {
        SpringApplicationBuilder builder = new SpringApplicationBuilder(app, beans(header.getOrDefault("beans",
                "one-connector"))).web(WebApplicationType.NONE).properties("spring.config.location=classpath:catalogue/"
                        + file, "spring.main.banner-mode=off", "spring.main.register-shutdown-hook=false",
                        "logging.level.root=warn");
        String env = header.get("env");
        if (env != null) {
            String[] variable = env.split("=", 2);
            builder.initializers(context -> context.getEnvironment().getPropertySources().addFirst(
                    new SystemEnvironmentPropertySource("catalogue-systemEnvironment",
                            Map.of(variable[0], variable[1]))));
        }
        return builder;
    }

    private static Class<?> beans(String name) {
        return switch (name) {
            case "one-connector" -> OneConnector.class;
            case "two-connectors" -> TwoConnectors.class;
            case "resolver-beans" -> ResolverBeans.class;
            case "no-connector" -> Object.class;
            default -> throw new IllegalArgumentException("unknown beans: " + name);
        };
    }

    /** The {@code # key: value} lines at the top of a case. */
    private static Map<String, String> header(String file) {
        Map<String, String> header = new LinkedHashMap<>();
        for (String line : read(file).lines().takeWhile(line -> line.startsWith("#")).toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.substring(1, colon).strip().contains(" ")) {
                header.put(line.substring(1, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return header;
    }

    private static String read(String file) {
        try (var in = ConfigurationCatalogueTest.class.getResourceAsStream("/catalogue/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> cases(String directory) {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:catalogue/"
                    + directory + "/*.yml");
            return Arrays.stream(files).map(Resource::getFilename).sorted();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({QorbAutoConfiguration.class, QorbHealthContributorAutoConfiguration.class,
            QorbMetricsAutoConfiguration.class, QorbEndpointAutoConfiguration.class,
            QorbObservationAutoConfiguration.class})
    static class QorbOnly {
    }

    /** Everything on the test class path: actuator, Micrometer, web support. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class FullApplication {
    }

    @Configuration(proxyBeanMethods = false)
    static class ResolverBeans {
        @Bean
        Connector<Foo> fooConnector() {
            return new FooConnector();
        }

        @Bean
        Resolver myResolver() {
            return FixedResolver.of(Backend.of("127.0.0.1", 7100));
        }

        @Bean
        String notAResolver() {
            return "not a resolver";
        }
    }
}
