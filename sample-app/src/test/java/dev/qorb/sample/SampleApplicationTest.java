package dev.qorb.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.qorb.Pool;
import dev.qorb.spring.QorbClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/** The sample app boots and serves its pools, found through its DNS server, and actuator over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    DemoBackends backends;

    @Autowired
    Workload workload;

    @QorbClient("echo-fixed")
    Pool<EchoConnection> fixed;

    private String get(String path) {
        return RestClient.create("http://localhost:" + port).get().uri(path)
                .exchange((req, res) -> new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    private void post(String path) {
        RestClient.create("http://localhost:" + port).post().uri(path).retrieve().toBodilessEntity();
    }

    /** POSTs {@code body} (JSON when {@code json}) and returns the status and the body. */
    private Map.Entry<Integer, String> post(String path, String body, boolean json) {
        var request = RestClient.create("http://localhost:" + port).post().uri(path);
        if (json) {
            request.contentType(MediaType.APPLICATION_JSON);
        }
        return request.body(body).exchange((req, res) -> Map.entry(res.getStatusCode().value(),
                new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8)));
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

    /**
     * Failed claims are counted once, by the pool: with every backend of a pool drained, its
     * claims fail and the workload counts no failed round trip of its own (it only shows the
     * last error).
     */
    @Test
    void failedClaimsAreThePoolsAndNotCountedAgainByTheWorkload() {
        Set<String> names = fixed.stats().backends().keySet();
        int failedBefore = JsonPath.read(get("/actuator/qorb/echo-fixed"), "$.failedClaims.NO_BACKENDS_ONLINE");
        long failedRoundTripsBefore = workload.views().get("echo-fixed").failedRoundTrips();
        names.forEach(fixed::drain);
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(JsonPath.<Integer>read(get("/actuator/qorb/echo-fixed"),
                        "$.failedClaims.NO_BACKENDS_ONLINE")).isGreaterThan(failedBefore);
                assertThat(workload.views().get("echo-fixed").lastError()).startsWith("ClaimException");
            });
            assertThat(workload.views().get("echo-fixed").failedRoundTrips()).isEqualTo(failedRoundTripsBefore);
        } finally {
            names.forEach(fixed::undrain);
        }
    }

    /** The endpoint's write operations take a JSON body, as the README's curl example sends it. */
    @Test
    void theEndpointsWriteOperationsTakeJson() {
        String backend = fixed.stats().backends().keySet().iterator().next();
        assertThat(post("/actuator/qorb/echo-fixed", "{\"action\":\"resolve\"}", false).getKey()).isEqualTo(415);
        assertThat(post("/actuator/qorb/echo-fixed", "{\"action\":\"resolve\"}", true))
                .isEqualTo(Map.entry(200, "{\"message\":\"pool 'echo-fixed': lookup requested\"}"));
        try {
            assertThat(post("/actuator/qorb/echo-fixed", "{\"action\":\"drain\",\"backend\":\"" + backend + "\"}",
                    true).getKey()).isEqualTo(200);
            assertThat(fixed.stats().backends().get(backend).draining()).isTrue();
        } finally {
            fixed.undrain(backend);
        }
    }

    @Test
    void theDemoControlsSayWhatIsWrongWithARequest() {
        assertThat(post("/demo/pools/echo-fixed/hold?millis=60000", "", false))
                .satisfies(r -> assertThat(r.getKey()).isEqualTo(400))
                .satisfies(r -> assertThat(r.getValue()).contains("hold time 60000 ms is out of range: use 0 to 10000 ms"));
        assertThat(post("/demo/pools/echo-fixed/claimers?count=4&delta=1", "", false))
                .satisfies(r -> assertThat(r.getKey()).isEqualTo(400))
                .satisfies(r -> assertThat(r.getValue()).contains("give either count"));
        assertThat(post("/demo/pools/nope/claimers?delta=1", "", false).getKey()).isEqualTo(404);
        assertThat(post("/demo/backends/7/stop", "", false).getKey()).isEqualTo(404);
        assertThat(post("/demo/backends/0/explode", "", false).getValue()).contains("use stop, start, dns-remove or dns-add");
    }

    @Test
    void thePageIsServed() {
        assertThat(get("/")).contains("qorb live view").contains("qtop.js");
        assertThat(get("/qtop.js")).contains("/actuator/qorb");
    }
}
