package dev.qorb.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.qorb.Handle;
import dev.qorb.Pool;
import dev.qorb.connector.TcpConnector;
import dev.qorb.spring.QorbClient;
import dev.qorb.testing.EchoServer;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/** A real application context over real HTTP, with pools over real TCP echo servers on loopback. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,metrics,qorb",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.probes.enabled=true",
        "qorb.defaults.spares-wanted=4",
        "qorb.defaults.rebalance-interval=200ms",
        "qorb.defaults.backend.health-interval=50ms",
        "qorb.defaults.backend.max-backoff=200ms",
        "qorb.defaults.backend.max-lifetime=0",
        "qorb.defaults.max-connector-calls=3"})
class QorbActuatorIntegrationTest {

    private static EchoServer orders1;
    private static EchoServer orders2;
    private static EchoServer billing;
    /** The backends of a pool of its own, which one test stops for good. */
    private static EchoServer inventory1;
    private static EchoServer inventory2;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        TcpConnector tcpConnector() {
            return new TcpConnector(Duration.ofSeconds(1));
        }

        /** A consumer wired through a @Bean method parameter. */
        @Bean
        BillingClient billingClient(@QorbClient("billing") Pool<Socket> billing) {
            return new BillingClient(billing);
        }
    }

    record BillingClient(Pool<Socket> pool) {
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) throws IOException {
        orders1 = EchoServer.start();
        orders2 = EchoServer.start();
        billing = EchoServer.start();
        inventory1 = EchoServer.start();
        inventory2 = EchoServer.start();
        registry.add("qorb.pools.orders.resolver.fixed.addresses",
                () -> orders1.backend() + "," + orders2.backend());
        registry.add("qorb.pools.billing.resolver.fixed.addresses", () -> billing.backend().toString());
        registry.add("qorb.pools.inventory.resolver.fixed.addresses",
                () -> inventory1.backend() + "," + inventory2.backend());
    }

    @AfterAll
    static void stopBackends() throws IOException {
        for (EchoServer server : List.of(orders1, orders2, billing, inventory1, inventory2)) {
            server.close();
        }
    }

    @LocalServerPort
    int port;

    @QorbClient("orders")
    Pool<Socket> orders;

    @org.springframework.beans.factory.annotation.Autowired
    BillingClient billingClient;

    /** The body of a GET, whatever the status (health answers 503 when DOWN). */
    private String get(String path) {
        return RestClient.create("http://localhost:" + port).get().uri(path)
                .exchange((req, res) -> new String(res.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private int status(String method, String path, String json) {
        RestClient.RequestBodySpec request = RestClient.create("http://localhost:" + port)
                .method(org.springframework.http.HttpMethod.valueOf(method)).uri(path);
        if (json != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(json);
        }
        return request.exchange((req, res) -> res.getStatusCode().value());
    }

    @Test
    void qorbClientInjectsOnFieldsAndBeanMethodParameters() throws Exception {
        assertThat(orders.name()).isEqualTo("orders");
        assertThat(billingClient.pool().name()).isEqualTo("billing");
        try (Handle<Socket> handle = orders.claim()) {
            handle.get().getOutputStream().write(5);
            assertThat(handle.get().getInputStream().read()).isEqualTo(5);
        }
    }

    @Test
    void healthShowsEachPoolAndItsBackends() {
        await().untilAsserted(() -> {
            String health = get("/actuator/health");
            assertThat(JsonPath.<String>read(health, "$.components.qorb.components.orders.status")).isEqualTo("UP");
            assertThat(JsonPath.<String>read(health, "$.components.qorb.components.billing.status")).isEqualTo("UP");
            Map<String, Object> backend = JsonPath.read(health, "$.components.qorb.components.orders.details.backends['"
                    + orders1.backend() + "']");
            assertThat(backend).containsEntry("state", "online");
            // Its 2 of the pool's 4 spares, or 3: a claim in another test of this context left
            // the pool 3 unclaimed, so it opened a fifth, which stays until the idle timeout.
            assertThat((Integer) backend.get("idle")).isBetween(2, 3);
        });
    }

    @Test
    void metricsAreListedByPool() throws Exception {
        orders.claim().close();
        await().untilAsserted(() -> assertThat(JsonPath.<Double>read(
                get("/actuator/metrics/qorb.slots?tag=pool:orders&tag=state:idle"), "$.measurements[0].value"))
                .isEqualTo(4.0));
        assertThat(JsonPath.<Double>read(get("/actuator/metrics/qorb.slots.max?tag=pool:billing"),
                "$.measurements[0].value")).isEqualTo(16.0);
        assertThat(JsonPath.<Double>read(get("/actuator/metrics/qorb.backends?tag=pool:orders&tag=state:online"),
                "$.measurements[0].value")).isEqualTo(2.0);
        assertThat(JsonPath.<Double>read(get("/actuator/metrics/qorb.claims?tag=pool:orders&tag=outcome:claimed"),
                "$.measurements[0].value")).isGreaterThanOrEqualTo(1.0);
        assertThat(JsonPath.<List<Double>>read(get("/actuator/metrics/qorb.claims.wait?tag=pool:orders&tag=outcome:claimed"),
                "$.measurements[?(@.statistic == 'COUNT')].value")).singleElement().satisfies(count ->
                        assertThat(count).isGreaterThanOrEqualTo(1.0));
        for (String name : List.of("qorb.claims.pending", "qorb.claims.held", "qorb.connect", "qorb.connect.failures",
                "qorb.check.failures")) {
            assertThat(JsonPath.<String>read(get("/actuator/metrics/" + name), "$.name")).isEqualTo(name);
        }
    }

    @Test
    void theEndpointDescribesPoolsAndDrainsAndUndrainsABackend() {
        String all = get("/actuator/qorb");
        assertThat(JsonPath.<Map<String, Object>>read(all, "$.pools")).containsOnlyKeys("orders", "billing", "inventory");
        assertThat(JsonPath.<Integer>read(all, "$.pools.orders.policy.sparesWanted")).isEqualTo(4);
        assertThat(JsonPath.<Integer>read(all, "$.pools.orders.policy.maxConnectorCalls")).isEqualTo(3);
        assertThat(JsonPath.<String>read(all, "$.pools.orders.policy.backend.maxLifetime")).isEqualTo("forever");
        assertThat(JsonPath.<String>read(all, "$.pools.orders.policy.backend.idleTimeout")).isEqualTo("PT10M");
        assertThat(JsonPath.<String>read(all, "$.pools.orders.resolver.type")).isEqualTo("FixedResolver");
        assertThat(JsonPath.<String>read(get("/actuator/qorb/billing"), "$.state")).isIn("RUNNING", "STARTING");
        assertThat(status("GET", "/actuator/qorb/nope", null)).isEqualTo(404);

        String backend = orders2.backend().toString();
        assertThat(status("POST", "/actuator/qorb/orders", "{\"action\":\"drain\",\"backend\":\"" + backend + "\"}"))
                .isEqualTo(200);
        await().untilAsserted(() -> {
            assertThat(JsonPath.<String>read(get("/actuator/qorb/orders"), "$.backends['" + backend + "'].state"))
                    .isEqualTo("draining");
            assertThat(orders2.openConnections()).isZero();
        });
        assertThat(status("POST", "/actuator/qorb/orders", "{\"action\":\"undrain\",\"backend\":\"" + backend + "\"}"))
                .isEqualTo(200);
        await().until(() -> orders2.openConnections() == 2);

        assertThat(status("POST", "/actuator/qorb/orders", "{\"action\":\"resolve\"}")).isEqualTo(200);
        assertThat(status("POST", "/actuator/qorb/nope", "{\"action\":\"resolve\"}")).isEqualTo(404);
        assertThat(status("POST", "/actuator/qorb/orders", "{\"action\":\"drain\",\"backend\":\"10.9.9.9:1\"}"))
                .isEqualTo(404);
        assertThat(status("POST", "/actuator/qorb/orders", "{\"action\":\"explode\"}")).isEqualTo(400);
    }

    @Test
    void aPoolWithABackendDownIsDegradedAndReadyAndOneWithNoneOnlineIsDownAndNotReadyButLive() throws Exception {
        await().untilAsserted(() -> assertThat(JsonPath.<String>read(get("/actuator/health/qorb/inventory"),
                "$.status")).isEqualTo("UP"));
        inventory1.stop();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String health = get("/actuator/health");
            assertThat(JsonPath.<String>read(health, "$.components.qorb.components.inventory.status"))
                    .isEqualTo("DEGRADED");
            assertThat(JsonPath.<String>read(health, "$.components.qorb.components.inventory.details.reason"))
                    .isEqualTo("1 of 2 backends offline");
            assertThat(JsonPath.<String>read(health, "$.status")).isEqualTo("DEGRADED");
            assertThat(JsonPath.<String>read(health, "$.components.qorb.components.inventory.details.backends['"
                    + inventory1.backend() + "'].lastError")).isNotBlank();
        });
        assertThat(status("GET", "/actuator/health", null)).isEqualTo(200);
        assertThat(status("GET", "/actuator/health/readiness", null)).isEqualTo(200);

        inventory2.stop();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(status("GET", "/actuator/health/qorb", null)).isEqualTo(503);
            assertThat(JsonPath.<String>read(get("/actuator/health/qorb"), "$.components.inventory.status"))
                    .isEqualTo("DOWN");
        });
        assertThat(status("GET", "/actuator/health/readiness", null)).isEqualTo(503);
        assertThat(status("GET", "/actuator/health/liveness", null)).isEqualTo(200);
    }
}
