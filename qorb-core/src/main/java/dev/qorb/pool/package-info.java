/**
 * The pool's internals, in one package so that all but {@link dev.qorb.pool.QorbPool} stay
 * package-private: slots and their state machine ({@code Slot}, {@code SlotState}), one
 * backend's slots ({@code SlotSet}), the waiters ({@code ClaimQueue}), the connector calls
 * and their bounds ({@code SlotDriver}, {@code BoundedCall}), the rebalance plan
 * ({@code SlotTargets}), backoff and failure counting, and the shared background threads.
 *
 * <p>The design, the threading model and the invariants are described in
 * {@code docs/design.md} at the root of the project.
 */
package dev.qorb.pool;
