package dev.qorb.pool;

/** Monotonic time, injectable so that tests of timing logic need no sleeps. */
@FunctionalInterface
interface Clock {

    /** The JVM's monotonic clock. */
    Clock SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary origin, like {@link System#nanoTime()}. */
    long nanoTime();
}
