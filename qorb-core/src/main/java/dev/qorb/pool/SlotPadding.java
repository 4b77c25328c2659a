package dev.qorb.pool;

/**
 * 128 bytes in front of each {@link Slot}'s fields, so that two slots never share a cache line
 * or an adjacent-line prefetch pair: the state word and claim count a thread writes on every
 * claim and release would otherwise make threads using neighbouring slots slow each other
 * down (measured at 2 threads on 2 cores: some runs 3.5 times slower than others, depending on
 * which slots the threads happened to use; issue 15). Stormpot pads its slots the same way.
 * HotSpot lays out a superclass's fields before its subclass's.
 */
abstract class SlotPadding {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}
