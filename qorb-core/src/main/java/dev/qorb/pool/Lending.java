package dev.qorb.pool;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Consumer;

/**
 * Lending: the only code that moves a slot to {@link SlotState#IDLE} or {@link SlotState#CLAIMED}.
 * A claim takes an idle slot by CAS, scanning the published {@link ClaimOrder} and trying
 * first the slot its thread claimed last ({@link #takeIdle}); a slot that comes free is offered
 * to the oldest waiter or made idle. With a target claim delay, the waiters it meets are judged
 * by CoDel on the way ({@link ClaimDelay}), and those shed fail.
 *
 * <p>How a slot coming free is lent: to the oldest waiter directly when that waiter is an
 * async claim or has waited {@link #HANDOFF_AFTER_NANOS} or more; otherwise it becomes idle and
 * the oldest waiter is woken to compete for it with the threads already running. Handing every
 * slot to a parked thread would force a thread switch per claim whenever claimers outnumber
 * slots (measured: 40 times slower than letting a running thread claim again); the handoff
 * after 3 ms bounds how long a waiter can lose that race.
 *
 * <p>Thread-safety: lock-free (CoDel's judgement locks, only when a waiter is served).
 * {@code order} has one writer (the rebalance) and many readers; {@code lastClaimed} is
 * confined to its thread and only ever names a slot, which the CAS still decides.
 * <p>Invariants: no slot is left idle while a waiter that was counted before the slot became
 * idle waits: {@link #offer} re-reads the waiting count after publishing the slot as idle, and
 * a claimer re-scans for idle slots after counting itself (a Dekker pair of volatile writes and
 * reads, so at least one of them sees the other).
 *
 * @param <C> the connection type
 */
final class Lending<C> {

    /**
     * A waiter this old is handed the next slot that comes free. Each hand-off costs the
     * releaser its slot and, with connections held for a round trip on a busy machine, a
     * thread switch or two: 3 ms rather than 1 took 32 threads over 16 PostgreSQL connections
     * from 0.90 to 1.04 times HikariCP's throughput (medians of 11 interleaved rounds, 2
     * cores). With 64 threads holding 16 slots for 50 µs, the fairness probe's slowest thread
     * still did 85–95 % of the median's claims, and its longest wait was 8–15 ms (issue 13).
     */
    static final long HANDOFF_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

    /**
     * The slot each thread claimed last from this pool. A thread keeps one slot of each pool it
     * claimed from reachable until the pool is collected (the slot's connection is dropped when
     * it terminates).
     */
    private final ThreadLocal<LastClaimed<C>> lastClaimed = ThreadLocal.withInitial(LastClaimed::new);
    private final ClaimQueue<C> queue;
    private final ClaimFailures failures;
    private final Clock clock;
    /** Lets go of a slot a scan took but will not lend now (retired, or for a waiter): the owner's lend. */
    private final Consumer<Slot<C>> giveBack;
    /** The spares to keep unclaimed: the policy's while the pool may open more slots, else 0. */
    private final IntSupplier sparesToKeep;
    /** Told when a claim left fewer spares than that, so that a rebalance restores them. */
    private final Runnable sparesShort;
    /** Written by the rebalance; read by every claim. */
    private volatile ClaimOrder<C> order = ClaimOrder.empty();

    Lending(ClaimQueue<C> queue, ClaimFailures failures, Clock clock, Consumer<Slot<C>> giveBack,
            IntSupplier sparesToKeep, Runnable sparesShort) {
        this.queue = queue;
        this.failures = failures;
        this.clock = clock;
        this.giveBack = giveBack;
        this.sparesToKeep = sparesToKeep;
        this.sparesShort = sparesShort;
    }

    ClaimQueue<C> queue() {
        return queue;
    }

    void publish(ClaimOrder<C> next) {
        order = next;
    }

    /**
     * The fast path: an idle slot by CAS, backends in preference order, starting at one of the
     * equally good ones drawn by SRV weight (see {@link ClaimOrder#start}). Within that backend
     * the slot this thread claimed last is tried first, by the same CAS as any idle slot: it
     * is still idle in its set for every other claimer, unlike Stormpot's thread-local slots,
     * so the hint cannot hide a connection from a waiter. Claiming the slot it released keeps
     * the slot's cache line on the thread's core (measured on 2 cores: claim + release about 3
     * times faster at 2 threads, 1.5 to 3 times at 8; issue 15), and since the backend is drawn
     * first the weights still decide where claims go.
     */
    Slot<C> takeIdle() {
        ClaimOrder<C> current = order;
        SlotSet<C>[] backends = current.sets();
        int random = ThreadLocalRandom.current().nextInt();
        int width = current.spreadWidth();
        int first = current.start(random);
        // A second draw by weight before the plain scan, so that claims falling past a busy
        // backend also follow the weights instead of piling onto its neighbour.
        int second = width > 1 ? current.start(Integer.reverse(random)) : first;
        LastClaimed<C> last = lastClaimed.get();
        Slot<C> slot = backends.length > 0 ? takeHinted(last.slot, backends[second]) : null;
        if (slot == null && second != first) {
            slot = take(backends[second], random);
        }
        for (int i = 0; slot == null && i < backends.length; i++) {
            slot = take(backends[i < width ? (first + i) % width : i], random);
        }
        if (slot != null && last.slot != slot) {
            last.slot = slot;
        }
        return slot;
    }

    /** The slot this thread claimed last, if it belongs to {@code preferred} and is idle. */
    private Slot<C> takeHinted(Slot<C> hint, SlotSet<C> preferred) {
        return hint != null && hint.set == preferred && hint.state() == SlotState.IDLE && hint.idle2claimed()
                ? lendable(preferred, hint) : null;
    }

    private Slot<C> take(SlotSet<C> set, int random) {
        Slot<C> slot = set.takeIdle(random >>> 8);
        return slot == null ? null : lendable(set, slot);
    }

    /** A slot just claimed by CAS, unless it is retired (then it goes back to its owner's lend). */
    private Slot<C> lendable(SlotSet<C> set, Slot<C> slot) {
        if (slot.retired()) {
            giveBack.accept(slot);
            return null;
        }
        // Counting reads other slots' state words, whose lines the threads using them keep
        // writing: only while spares can still be added (a check on every claim made claims
        // at 8 threads 1.4 times slower). Counted over the backends the plan gives slots, as
        // the rebalance's target is (claimed + spares): a backend that still has a spare says
        // nothing of the pool's, and one the plan gives nothing (a fallback priority after
        // failback) holds no spares, only connections about to close.
        int wanted = sparesToKeep.getAsInt();
        if (wanted > 0 && unclaimedUpTo(wanted) < wanted) {
            sparesShort.run();
        }
        return slot;
    }

    /** Unclaimed slots of the backends that lend and have a target, counted up to {@code enough}. */
    private int unclaimedUpTo(int enough) {
        int unclaimed = 0;
        for (SlotSet<C> set : order.sets()) {
            if (set.target() == 0) {
                continue;
            }
            unclaimed += set.unclaimedUpTo(enough - unclaimed);
            if (unclaimed >= enough) {
                break;
            }
        }
        return unclaimed;
    }

    /**
     * Lends a slot that has just come free (see the class comment for to whom). The caller
     * owns the slot and has checked that it may be lent; afterwards it owns it no more.
     */
    void offer(Slot<C> slot) {
        ClaimDelay.Round round = null;
        for (;;) {
            Waiter<C> head;
            while (queue.waiting() > 0 && (head = queue.head()) != null) {
                long now = clock.nanoTime();
                if (head.blocking() && now - head.enqueuedAtNanos < HANDOFF_AFTER_NANOS) {
                    slot.owner2idle();
                    head.nudge();
                    return;
                }
                if (!queue.remove(head)) {
                    continue; // withdrawn or served meanwhile
                }
                round = round != null ? round : queue.round(now);
                if (round != null && round.shed(now - head.enqueuedAtNanos)) {
                    head.fail(failures.shed(now - head.enqueuedAtNanos));
                    continue;
                }
                slot.owner2claimed();
                if (head.serve(slot)) {
                    return;
                }
            }
            slot.owner2idle();
            // A claimer may have counted itself after our read above and missed the idle slot.
            if (queue.waiting() == 0) {
                queue.emptyOnRelease();
                return;
            }
            if (!slot.idle2claimed()) {
                return;
            }
        }
    }

    /**
     * A claim that queued while a backend was not yet in the published order may have missed
     * a slot that connected meanwhile: now that the order has it, hand such idle slots to the
     * waiters. Bounded by the number of slots, since the waiting count may lag the queue.
     */
    void serveWaitersFromIdleSlots() {
        int slots = 0;
        for (SlotSet<C> set : order.sets()) {
            slots += set.slotCount();
        }
        for (int i = 0; i < slots && queue.waiting() > 0; i++) {
            Slot<C> idle = takeIdle();
            if (idle == null) {
                return;
            }
            giveBack.accept(idle);
        }
    }

    /** A thread's own record of its last claim; confined to that thread. */
    private static final class LastClaimed<C> {
        Slot<C> slot;
    }
}
