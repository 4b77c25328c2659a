package dev.qorb.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waiting as code that ignores interrupts does (a JDBC driver in a socket read, a preempted thread). */
final class Uninterruptibly {

    private Uninterruptibly() {
    }

    /**
     * Waits until {@code gate} opens; an interrupt does not end the wait, and the flag is set
     * again on return, as {@code Condition.awaitUninterruptibly} does.
     *
     * @throws IllegalStateException after {@code limit}, naming {@code what}: a test forgot to open the gate
     */
    static void await(CountDownLatch gate, Duration limit, String what) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (gate.getCount() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(what + " waited " + limit + " and was never released");
                }
                try {
                    gate.await(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
