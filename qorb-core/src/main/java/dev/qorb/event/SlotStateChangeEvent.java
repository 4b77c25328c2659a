package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A slot moving between states off the claim path. */
@Name("dev.qorb.SlotStateChange")
@Label("Slot State Change")
@Description("A slot moving between states off the claim path.")
public final class SlotStateChangeEvent extends QorbEvent {

    /** The slot, unique within its backend. */
    @Label("Slot")
    public int slot;

    /** The state left. */
    @Label("From")
    public String from;

    /** The state entered. */
    @Label("To")
    public String to;
}
