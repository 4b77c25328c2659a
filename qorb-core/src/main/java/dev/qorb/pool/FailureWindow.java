package dev.qorb.pool;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts a backend's failures within a sliding window of time.
 *
 * <p>Thread-safety: all methods lock; they run off the claim path (after connect, check or
 * recycle failures, and for stats and rebalancing).
 * <p>Invariants: {@code times} is in non-decreasing order and holds at most {@link #CAPACITY}
 * entries; older ones are dropped first, so a failure storm costs bounded memory.
 */
final class FailureWindow {

    static final int CAPACITY = 1024;

    private final long windowNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@code lock}. Times of failures, oldest first. */
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    FailureWindow(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    void record(long nowNanos) {
        lock.lock();
        try {
            if (times.size() == CAPACITY) {
                times.removeFirst();
            }
            times.addLast(nowNanos);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every failure: the backend is online again, and old failures must not hold it back. */
    void clear() {
        lock.lock();
        try {
            times.clear();
        } finally {
            lock.unlock();
        }
    }

    int count(long nowNanos) {
        lock.lock();
        try {
            while (!times.isEmpty() && nowNanos - times.peekFirst() > windowNanos) {
                times.removeFirst();
            }
            return times.size();
        } finally {
            lock.unlock();
        }
    }
}
