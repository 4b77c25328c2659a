package dev.qorb.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.qorb.Backend;
import dev.qorb.connector.Connector;
import dev.qorb.resolver.Resolver;
import dev.qorb.testing.EchoServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * Secrets in text qorb did not write stay out of everything an operator sees: a connector's
 * error quoting a JDBC URL with its password, a resolver describing itself with a token. A real
 * context over real HTTP, the way the README recommends configuring it (details shown always).
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,qorb",
        "management.endpoint.health.show-details=always",
        "qorb.defaults.backend.max-backoff=100ms",
        "qorb.pools.vault.connector=jdbcLikeConnector",
        "qorb.pools.registry.connector=jdbcLikeConnector",
        "qorb.pools.registry.resolver.bean=registryResolver"})
class QorbSecretsIntegrationTest {

    private static EchoServer refusing;
    private static EchoServer registered;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        /** Fails the way a JDBC driver does: quoting its URL, password and all. */
        @Bean
        Connector<Socket> jdbcLikeConnector() {
            return backend -> {
                try {
                    return new Socket(backend.address().getAddress(), backend.address().getPort());
                } catch (IOException e) {
                    throw new SQLException("Connection to jdbc:postgresql://" + backend
                            + "/vault?user=app&password=hunter2 refused", "08001", e);
                }
            };
        }

        /** A service-registry resolver that describes itself with its access token. */
        @Bean
        Resolver registryResolver() {
            return new Resolver() {
                @Override
                public void start(Listener listener) {
                    listener.onBackends(Map.of(registered.backend().toString(), registered.backend()));
                }

                @Override
                public void close() {
                }

                @Override
                public String toString() {
                    return "RegistryResolver[https://registry.internal/v1/vault?token=s3cr3t]";
                }
            };
        }

        /** The application's own rule, which qorb's text goes through too. */
        @Bean
        SanitizingFunction hideRegistryHost() {
            return data -> data.getKey().equals("resolver") && data.getValue() != null
                    ? data.withValue(data.getValue().toString().replace("registry.internal", "[hidden]")) : data;
        }
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) throws IOException {
        refusing = EchoServer.start();
        refusing.stop();
        registered = EchoServer.start();
        registry.add("qorb.pools.vault.resolver.fixed.addresses", () -> refusing.backend().toString());
    }

    @AfterAll
    static void stopBackends() throws IOException {
        refusing.close();
        registered.close();
    }

    @LocalServerPort
    int port;

    private String get(String path) {
        return RestClient.create("http://localhost:" + port).get().uri(path)
                .exchange((req, res) -> new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theConnectorsPasswordIsMaskedInTheEndpointTheHealthAndTheLog(CapturedOutput output) {
        Backend backend = refusing.backend();
        String masked = "SQLException: Connection to jdbc:postgresql://" + backend
                + "/vault?user=app&password=****** refused";
        await().untilAsserted(() -> assertThat(JsonPath.<String>read(get("/actuator/qorb/vault"),
                "$.backends['" + backend + "'].lastError")).isEqualTo(masked));
        assertThat(JsonPath.<String>read(get("/actuator/health"), "$.components.qorb.components.vault.details.backends['"
                + backend + "'].lastError")).isEqualTo(masked);
        await().until(() -> output.toString().contains("pool 'vault' failed"));
        assertThat(output.toString()).contains("password=******").doesNotContain("hunter2");
        assertThat(get("/actuator/qorb") + get("/actuator/health")).doesNotContain("hunter2");
    }

    @Test
    void theResolversTokenIsMaskedAndTheApplicationsSanitizingFunctionsApply(CapturedOutput output) {
        assertThat(JsonPath.<String>read(get("/actuator/qorb/registry"), "$.resolver.description"))
                .isEqualTo("RegistryResolver[https://[hidden]/v1/vault?token=******]");
        assertThat(output.toString()).contains("pool 'registry' started with"
                + " RegistryResolver[https://registry.internal/v1/vault?token=******]").doesNotContain("s3cr3t");
    }
}
