package dev.qorb.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

/** The sample app boots and serves its pools, found through its DNS server, and actuator over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    DemoBackends backends;

    private String get(String path) {
        return RestClient.create("http://localhost:" + port).get().uri(path)
                .exchange((req, res) -> new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    private void post(String path) {
        RestClient.create("http://localhost:" + port).post().uri(path).retrieve().toBodilessEntity();
    }

    @Test
    void bothPoolsFindTheirBackendsAndServeTheWorkload() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String health = get("/actuator/health");
            assertThat(JsonPath.<String>read(health, "$.status")).isEqualTo("UP");
            assertThat(JsonPath.<String>read(health, "$.components.qorb.components.echo-dns.status")).isEqualTo("UP");
            String qorb = get("/actuator/qorb");
            Map<String, Object> dnsBackends = JsonPath.read(qorb, "$.pools.echo-dns.backends");
            assertThat(dnsBackends).hasSize(3).allSatisfy((name, b) -> assertThat(name).startsWith("backend-"));
            assertThat(JsonPath.<Map<String, Object>>read(qorb, "$.pools.echo-fixed.backends")).hasSize(3);
            assertThat(JsonPath.<String>read(qorb, "$.pools.echo-dns.resolver.type")).isEqualTo("DnsResolver");
            assertThat(JsonPath.<Integer>read(get("/demo/state"), "$.workload.echo-dns.roundTrips")).isPositive();
        });
    }

    @Test
    void aStoppedBackendGoesOfflineAndOneRemovedFromDnsLeavesTheDnsPool() {
        int port0 = backends.views().get(0).port();
        post("/demo/backends/0/stop");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(JsonPath.<String>read(
                get("/actuator/qorb/echo-fixed"), "$.backends['127.0.0.1:" + port0 + "'].state")).isEqualTo("offline"));
        post("/demo/backends/0/start");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(JsonPath.<String>read(
                get("/actuator/qorb/echo-fixed"), "$.backends['127.0.0.1:" + port0 + "'].state")).isEqualTo("online"));

        post("/demo/backends/1/dns-remove");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(JsonPath.<Map<String, Object>>read(
                get("/actuator/qorb/echo-dns"), "$.backends")).hasSize(2));
        post("/demo/backends/1/dns-add");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(JsonPath.<Map<String, Object>>read(
                get("/actuator/qorb/echo-dns"), "$.backends")).hasSize(3));
    }

    @Test
    void thePageIsServed() {
        assertThat(get("/")).contains("qorb live view").contains("qtop.js");
        assertThat(get("/qtop.js")).contains("/actuator/qorb");
    }
}
