package dev.qorb.pool;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * CoDel (controlled delay) over the claim queue, as cueball applies it to claims
 * ({@code targetClaimDelay}): under a standing queue, shed waiting claims early instead of
 * serving every one late. {@link dev.qorb.Policy#targetClaimDelay()} describes the rule for
 * users; this is the reference pseudocode of Nichols and Jacobson ("Controlling Queue Delay",
 * ACM Queue 2012, the version cueball follows), with a waiting claim as the packet:
 *
 * <pre>
 * dodeque: sojourn below target  -> firstAboveTime = none
 *          first time above      -> firstAboveTime = now + INTERVAL
 *          above, now >= firstAboveTime -> okToDrop
 * dequeue: if dropping: if !okToDrop: dropping = false
 *                       while now >= dropNext and dropping: drop; count++; dodeque the next;
 *                           if !okToDrop: dropping = false else dropNext = controlLaw(dropNext)
 *          else if okToDrop and (now - dropNext &lt; INTERVAL or now - firstAboveTime >= INTERVAL):
 *                       drop; dodeque the next; dropping = true;
 *                       count = count > 2 and now - dropNext &lt; INTERVAL ? count - 2 : 1
 *                       dropNext = controlLaw(now)
 * controlLaw(t) = t + INTERVAL / sqrt(count)
 * </pre>
 *
 * One {@link Round} is one dequeue: a connection that came free, judging the waiters taken
 * from the head of the queue one by one until one is served. A connection that comes free to
 * an empty queue forgets {@code firstAboveTime} ({@link #queueEmpty()}), as cueball's
 * {@code empty()} does, and marks the queue as recently empty for {@link #maxWaitNanos}.
 *
 * <p>Cueball's port drops every claim once {@code dropNext} has passed without advancing it;
 * this one advances it as the pseudocode does, so the drop rate rises with {@code sqrt(count)}.
 *
 * <p>Thread-safety: the state below is guarded by {@code lock}, taken only on the slow path
 * (a claim that waited is judged); two hand-offs at once are judged one after the other, as
 * if their waiters had left the queue in that order. {@link #queueEmpty()}, on the release
 * path, reads two volatile flags and writes only when they change.
 */
final class ClaimDelay {

    /** CoDel's interval: how long the delay must stay above target before claims are shed. */
    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long targetNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: whether firstAboveTime is set. Also read without the lock by queueEmpty. */
    private volatile boolean above;
    private long firstAboveTime;
    private boolean dropping;
    /** Whether dropNext holds a time yet (nanoTime has no "never" value). */
    private boolean droppedBefore;
    private long dropNext;
    private int count;
    /**
     * Set when a connection came free to an empty queue, cleared (and {@code lastEmpty} set) by
     * the next claim that queues: so the release path, which reads no clock, needs none here.
     */
    private volatile boolean emptied = true;
    /** Guarded by lock: about when a connection last came free to an empty queue. */
    private long lastEmpty;

    ClaimDelay(long targetNanos) {
        this.targetNanos = targetNanos;
    }

    /** A connection came free and no claim was waiting for it. */
    void queueEmpty() {
        if (!emptied) {
            emptied = true;
        }
        if (above) {
            lock.lock();
            try {
                above = false;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * How long a claim starting to wait now may wait at most (cueball's {@code getMaxIdle}): ten
     * times the target, or three times while the pool is overloaded, that is when no connection
     * came free to an empty queue during the last ten times the target.
     */
    long maxWaitNanos(long now) {
        long bound = saturatedTimes(10);
        lock.lock();
        try {
            if (emptied) {
                emptied = false;
                lastEmpty = now;
            }
            return now - lastEmpty > bound ? saturatedTimes(3) : bound;
        } finally {
            lock.unlock();
        }
    }

    private long saturatedTimes(int factor) {
        return targetNanos > Long.MAX_VALUE / 4 / factor ? Long.MAX_VALUE / 4 : targetNanos * factor;
    }

    /** A new dequeue at {@code now}: one connection to hand out. */
    Round round(long now) {
        return new Round(now);
    }

    /** Whether a waiting claim that is leaving the queue with {@code sojournNanos} is shed: a round of one. */
    boolean shed(long sojournNanos, long now) {
        return round(now).shed(sojournNanos);
    }

    /** One dequeue: the waiters taken from the head of the queue for one connection, one by one. */
    final class Round {
        private final long now;
        /** What happened to the previous waiter of this round: the pseudocode's place in dequeue. */
        private Step step = Step.FIRST;

        private Round(long now) {
            this.now = now;
        }

        /** Judges the next waiter; true if it is to be failed instead of served. */
        boolean shed(long sojournNanos) {
            lock.lock();
            try {
                boolean okToDrop = dodeque(sojournNanos);
                return switch (step) {
                    case FIRST -> first(okToDrop);
                    // After the drop that entered the dropping state, the next waiter is served.
                    case ENTERED -> false;
                    case DROPPING -> next(okToDrop);
                };
            } finally {
                lock.unlock();
            }
        }

        private boolean first(boolean okToDrop) {
            if (dropping) {
                if (!okToDrop) {
                    dropping = false;
                    return false;
                }
                return dropAgainIfDue();
            }
            boolean soonAfterLastCycle = droppedBefore && now - dropNext < INTERVAL_NANOS;
            if (okToDrop && (soonAfterLastCycle || now - firstAboveTime >= INTERVAL_NANOS)) {
                dropping = true;
                count = count > 2 && soonAfterLastCycle ? count - 2 : 1;
                dropNext = controlLaw(now);
                droppedBefore = true;
                step = Step.ENTERED;
                return true;
            }
            return false;
        }

        /** Inside the pseudocode's while loop: the previous waiter was dropped. */
        private boolean next(boolean okToDrop) {
            if (!okToDrop) {
                dropping = false;
                return false;
            }
            dropNext = controlLaw(dropNext);
            return dropAgainIfDue();
        }

        /** The pseudocode's while loop: drop while dropNext has passed, counting each drop. */
        private boolean dropAgainIfDue() {
            if (now - dropNext < 0) {
                return false;
            }
            count++;
            step = Step.DROPPING;
            return true;
        }

        /** The pseudocode's dodeque for one waiter: updates firstAboveTime; whether it may be dropped. */
        private boolean dodeque(long sojournNanos) {
            if (sojournNanos < targetNanos) {
                above = false;
                return false;
            }
            if (!above) {
                firstAboveTime = now + INTERVAL_NANOS;
                above = true;
                return false;
            }
            return now - firstAboveTime >= 0;
        }
    }

    private long controlLaw(long from) {
        return from + (long) (INTERVAL_NANOS / Math.sqrt(count));
    }

    private enum Step { FIRST, ENTERED, DROPPING }
}
