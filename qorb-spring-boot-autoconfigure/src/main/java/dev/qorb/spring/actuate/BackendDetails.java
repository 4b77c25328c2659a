package dev.qorb.spring.actuate;

import dev.qorb.BackendStats;
import java.util.LinkedHashMap;
import java.util.Map;

/** One backend as health details and the endpoint show it, so that both say the same. */
final class BackendDetails {

    private BackendDetails() {
    }

    /**
     * Address, state ({@code online}, {@code offline}, {@code ejected} or {@code draining}), slot counts by
     * state, claims, recent failures and, when there is one, the last error, sanitized.
     */
    static Map<String, Object> of(BackendStats backend, TextSanitizer sanitizer) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("address", backend.backend().toString());
        details.put("state", state(backend));
        details.put("connecting", backend.connecting());
        details.put("idle", backend.unclaimed());
        details.put("checking", backend.checking());
        details.put("claimed", backend.claimed());
        details.put("claims", backend.claims());
        details.put("recentFailures", backend.recentFailures());
        backend.lastError().ifPresent(error -> details.put("lastError", sanitizer.sanitize("lastError", error)));
        return details;
    }

    /** An operator's drain (or the resolver's removal) first: it outlasts an ejection. */
    private static String state(BackendStats backend) {
        if (backend.draining()) {
            return "draining";
        }
        if (backend.ejected()) {
            return "ejected";
        }
        return backend.online() ? "online" : "offline";
    }
}
