package dev.qorb.dns;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Keeps an outage quiet in the log: one WARN when lookups start failing, at most one summary
 * a minute while they keep failing, and one INFO when they work again; the failures in
 * between are logged at DEBUG. Without it, a resolver retrying every few seconds through a
 * long outage would log a WARN each time.
 *
 * <p>Thread-safety: none; called by one lookup chain, one lookup at a time.
 */
final class OutageLog {

    static final long SUMMARY_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final String subject;
    private boolean failing;
    private long startedAtNanos;
    private long summarizedAtNanos;
    private int failures;

    /** @param subject what fails, as the start of a sentence: {@code DnsResolver[SRV _pg._tcp.db.example.]: lookups} */
    OutageLog(Logger log, String subject) {
        this.log = log;
        this.subject = subject;
    }

    /**
     * @param error why this attempt failed
     * @param meanwhile what is done about it: {@code keeping 3 known backends, retrying every 10 s}
     */
    void failed(long nowNanos, String error, String meanwhile) {
        failures++;
        if (!failing) {
            failing = true;
            startedAtNanos = nowNanos;
            summarizedAtNanos = nowNanos;
            log.warn("{} failed; {}: {}", subject, meanwhile, error);
        } else if (nowNanos - summarizedAtNanos >= SUMMARY_INTERVAL_NANOS) {
            summarizedAtNanos = nowNanos;
            log.warn("{} still failing after {} (attempts: {}); {}: {}", subject, since(nowNanos), failures, meanwhile,
                    error);
        } else {
            log.debug("{} failed again; {}: {}", subject, meanwhile, error);
        }
    }

    void succeeded(long nowNanos) {
        if (failing) {
            log.info("{} work again after {} (failed attempts: {})", subject, since(nowNanos), failures);
            failing = false;
            failures = 0;
        }
    }

    private String since(long nowNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nowNanos - startedAtNanos) + " s";
    }
}
