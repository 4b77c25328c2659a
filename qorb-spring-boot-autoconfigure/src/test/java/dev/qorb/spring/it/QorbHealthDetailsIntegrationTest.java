package dev.qorb.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.qorb.connector.TcpConnector;
import dev.qorb.testing.EchoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/** With Spring Boot's default show-details (never), qorb's health shows its status and nothing more, as Boot's own do. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties =
        "management.endpoints.web.exposure.include=health")
class QorbHealthDetailsIntegrationTest {

    private static EchoServer backend;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        TcpConnector tcpConnector() {
            return new TcpConnector();
        }
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) throws IOException {
        backend = EchoServer.start();
        registry.add("qorb.pools.orders.resolver.fixed.addresses", () -> backend.backend().toString());
    }

    @AfterAll
    static void stopBackend() throws IOException {
        backend.close();
    }

    @LocalServerPort
    int port;

    @Test
    void detailsAreHiddenAsForSpringBootsOwnContributors() {
        assertThat(JsonPath.<Map<String, Object>>read(get("/actuator/health"), "$")).containsKey("status")
                .doesNotContainKey("components");
        assertThat(get("/actuator/health/qorb") + get("/actuator/health/qorb/orders")).doesNotContain("backends")
                .doesNotContain(backend.backend().toString());
    }

    private String get(String path) {
        return RestClient.create("http://localhost:" + port).get().uri(path)
                .exchange((req, res) -> new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8));
    }
}
