package dev.qorb.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** The sample app boots and serves its pools, found through its DNS server, and actuator over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTest extends RunningSampleApp {

    private void post(String path) {
        assertThat(post(path, "", false).getKey()).isEqualTo(200);
    }

    @AfterEach
    void restore() throws Exception {
        restoreTheDemo();
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
        Map.Entry<Integer, String> hold = post("/demo/pools/echo-fixed/hold?millis=60000", "", false);
        assertThat(hold.getKey()).isEqualTo(400);
        assertThat(hold.getValue()).contains("hold time 60000 ms is out of range: use 0 to 10000 ms");
        Map.Entry<Integer, String> both = post("/demo/pools/echo-fixed/claimers?count=4&delta=1", "", false);
        assertThat(both.getKey()).isEqualTo(400);
        assertThat(both.getValue()).contains("give either count");
        assertThat(post("/demo/pools/nope/claimers?delta=1", "", false).getKey()).isEqualTo(404);
        assertThat(post("/demo/backends/7/stop", "", false).getKey()).isEqualTo(404);
        assertThat(post("/demo/backends/0/explode", "", false).getValue())
                .contains("use stop, start, dns-remove or dns-add");
    }

    @Test
    void thePageIsServed() {
        assertThat(get("/")).contains("qorb live view").contains("qtop.js");
        assertThat(get("/qtop.js")).contains("/actuator/qorb");
    }
}
