package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One rebalance of slots across backends. */
@Name("dev.qorb.Rebalance")
@Label("Rebalance")
@Description("One rebalance of slots across backends.")
public final class RebalanceEvent extends QorbEvent {

    /** Backends known. */
    @Label("Backends")
    public int backends;

    /** Backends online. */
    @Label("Backends Online")
    public int backendsOnline;

    /** Slots before the rebalance. */
    @Label("Slots Before")
    public int slotsBefore;

    /** Slots wanted after it (claimed slots above the target leave as they return). */
    @Label("Slots Wanted")
    public int slotsWanted;
}
