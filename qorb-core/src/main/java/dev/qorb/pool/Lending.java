package dev.qorb.pool;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Lending: the only code that moves a slot to {@link SlotState#IDLE} or {@link SlotState#CLAIMED}.
 * A claim takes an idle slot by CAS, scanning the published {@link ClaimOrder}; a slot that
 * comes free is offered to the oldest waiter or made idle.
 *
 * <p>How a slot coming free is lent: to the oldest waiter directly when that waiter is an
 * async claim or has waited {@link #HANDOFF_AFTER_NANOS} or more; otherwise it becomes idle and
 * the oldest waiter is woken to compete for it with the threads already running. Handing every
 * slot to a parked thread would force a thread switch per claim whenever claimers outnumber
 * slots (measured: 40 times slower than letting a running thread claim again); the handoff
 * after 1 ms bounds how long a waiter can lose that race.
 *
 * <p>Thread-safety: lock-free. {@code order} has one writer (the rebalance) and many readers.
 * <p>Invariants: no slot is left idle while a waiter that was counted before the slot became
 * idle waits: {@link #offer} re-reads the waiting count after publishing the slot as idle, and
 * a claimer re-scans for idle slots after counting itself (a Dekker pair of volatile writes and
 * reads, so at least one of them sees the other).
 *
 * @param <C> the connection type
 */
final class Lending<C> {

    /** A waiter this old is handed the next slot that comes free. */
    static final long HANDOFF_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ClaimQueue<C> queue;
    private final Clock clock;
    /** Lets go of a slot a scan took but will not lend now (retired, or for a waiter): the owner's lend. */
    private final Consumer<Slot<C>> giveBack;
    /** Told when a claim took a backend's last idle slot, so that spares can be restored. */
    private final Runnable lastIdleTaken;
    /** Written by the rebalance; read by every claim. */
    private volatile ClaimOrder<C> order = ClaimOrder.empty();

    Lending(ClaimQueue<C> queue, Clock clock, Consumer<Slot<C>> giveBack, Runnable lastIdleTaken) {
        this.queue = queue;
        this.clock = clock;
        this.giveBack = giveBack;
        this.lastIdleTaken = lastIdleTaken;
    }

    ClaimQueue<C> queue() {
        return queue;
    }

    void publish(ClaimOrder<C> next) {
        order = next;
    }

    /**
     * The fast path: an idle slot by CAS, backends in preference order, starting at one of the
     * equally good ones drawn by SRV weight (see {@link ClaimOrder#start}).
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
        Slot<C> slot = second != first ? take(backends[second], random) : null;
        for (int i = 0; slot == null && i < backends.length; i++) {
            slot = take(backends[i < width ? (first + i) % width : i], random);
        }
        return slot;
    }

    private Slot<C> take(SlotSet<C> set, int random) {
        Slot<C> slot = set.takeIdle(random >>> 8);
        if (slot == null) {
            return null;
        }
        if (slot.retired()) {
            giveBack.accept(slot);
            return null;
        }
        slot.lends++;
        if (!set.hasIdle()) {
            lastIdleTaken.run();
        }
        return slot;
    }

    /**
     * Lends a slot that has just come free (see the class comment for to whom). The caller
     * owns the slot and has checked that it may be lent; afterwards it owns it no more.
     */
    void offer(Slot<C> slot) {
        for (;;) {
            Waiter<C> head;
            while (queue.waiting() > 0 && (head = queue.head()) != null) {
                if (head.blocking() && clock.nanoTime() - head.enqueuedAtNanos < HANDOFF_AFTER_NANOS) {
                    slot.owner2idle();
                    head.nudge();
                    return;
                }
                if (!queue.remove(head)) {
                    continue; // withdrawn or served meanwhile
                }
                slot.owner2claimed();
                slot.lends++;
                if (head.serve(slot)) {
                    return;
                }
            }
            slot.owner2idle();
            // A claimer may have counted itself after our read above and missed the idle slot.
            if (queue.waiting() == 0 || !slot.idle2claimed()) {
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
}
