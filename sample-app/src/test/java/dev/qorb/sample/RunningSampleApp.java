package dev.qorb.sample;

import dev.qorb.Pool;
import dev.qorb.spring.QorbClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * What the tests of the running sample app share: the app over real HTTP, its demo backends,
 * workload and pools, and a way to put the app back as it started. The Spring test context
 * (one app) is shared by every test class that extends this, so each test leaves it as it found
 * it.
 */
abstract class RunningSampleApp {

    static final List<String> POOLS = List.of("echo-dns", "echo-fixed");

    @LocalServerPort
    int port;

    @Autowired
    DemoBackends backends;

    @Autowired
    Workload workload;

    @QorbClient("echo-fixed")
    Pool<EchoConnection> fixed;

    String get(String path) {
        return RestClient.create("http://localhost:" + port).get().uri(path)
                .exchange((req, res) -> new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** POSTs {@code body} (as JSON when {@code json}) and returns the status and the body. */
    Map.Entry<Integer, String> post(String path, String body, boolean json) {
        var request = RestClient.create("http://localhost:" + port).post().uri(path);
        if (json) {
            request.contentType(MediaType.APPLICATION_JSON);
        }
        return request.body(body).exchange((req, res) -> Map.entry(res.getStatusCode().value(),
                new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8)));
    }

    /** Every backend running and in DNS, none drained, 3 claimers per pool holding nothing. */
    void restoreTheDemo() throws IOException {
        for (DemoBackends.View backend : backends.views()) {
            backends.start(backend.id());
            backends.addToDns(backend.id());
        }
        fixed.stats().backends().keySet().forEach(fixed::undrain);
        for (String pool : POOLS) {
            workload.claimers(pool, 3);
            workload.hold(pool, Duration.ZERO);
        }
    }
}
