package dev.qorb.sample;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The page's controls: the demo backends and the workload. Pool data comes from {@code /actuator/qorb}. */
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

    @PostMapping("/pools/{pool}/claimers")
    ResponseEntity<Map<String, Object>> claimers(@PathVariable String pool, @RequestParam int count) {
        int now = workload.claimers(pool, count);
        return now < 0 ? ResponseEntity.notFound().build() : ResponseEntity.ok(Map.of("pool", pool, "claimers", now));
    }

    @PostMapping("/backends/{id}/{action}")
    ResponseEntity<List<DemoBackends.View>> backend(@PathVariable int id, @PathVariable String action)
            throws IOException {
        boolean known = switch (action) {
            case "stop" -> backends.stop(id);
            case "start" -> backends.start(id);
            case "dns-remove" -> backends.removeFromDns(id);
            case "dns-add" -> backends.addToDns(id);
            default -> throw new IllegalArgumentException("unknown action '" + action
                    + "'; use stop, start, dns-remove or dns-add");
        };
        return known ? ResponseEntity.ok(backends.views()) : ResponseEntity.notFound().build();
    }
}
