package dev.qorb.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The page's demo controls: the demo backends and the workload. Pool data and the operator's
 * actions (drain, undrain, look up now) are the actuator endpoint's, {@code /actuator/qorb}.
 */
@RestController
@RequestMapping("/demo")
class DemoController {

    private final DemoBackends backends;
    private final Workload workload;

    DemoController(DemoBackends backends, Workload workload) {
        this.backends = backends;
        this.workload = workload;
    }

    @GetMapping("/state")
    Map<String, Object> state() {
        return Map.of("backends", backends.views(), "workload", workload.views());
    }

    /** Sets the claimers of {@code pool} to {@code count}, or changes them by {@code delta}. */
    @PostMapping("/pools/{pool}/claimers")
    ResponseEntity<Map<String, Object>> claimers(@PathVariable String pool,
            @RequestParam(required = false) Integer count, @RequestParam(required = false) Integer delta) {
        if ((count == null) == (delta == null)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "give either count (the number of claimers)"
                    + " or delta (a change to it)");
        }
        int set = count != null ? workload.claimers(pool, count) : workload.addClaimers(pool, delta);
        return set < 0 ? ResponseEntity.notFound().build() : ResponseEntity.ok(Map.of("pool", pool, "claimers", set));
    }

    /** Sets how long each claimer of {@code pool} holds its connection. */
    @PostMapping("/pools/{pool}/hold")
    ResponseEntity<Map<String, Object>> hold(@PathVariable String pool, @RequestParam long millis) {
        try {
            return workload.hold(pool, Duration.ofMillis(millis))
                    ? ResponseEntity.ok(Map.of("pool", pool, "holdMillis", millis))
                    : ResponseEntity.notFound().build();
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    @PostMapping("/backends/{id}/{action}")
    ResponseEntity<List<DemoBackends.View>> backend(@PathVariable int id, @PathVariable String action)
            throws IOException {
        boolean known = switch (action) {
            case "stop" -> backends.stop(id);
            case "start" -> backends.start(id);
            case "dns-remove" -> backends.removeFromDns(id);
            case "dns-add" -> backends.addToDns(id);
            default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "unknown action '" + action
                    + "'; use stop, start, dns-remove or dns-add");
        };
        return known ? ResponseEntity.ok(backends.views()) : ResponseEntity.notFound().build();
    }
}
