package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** A handle given back, or invalidated as broken. */
@Name("dev.qorb.Release")
@Label("Release")
@Description("A handle given back, or invalidated as broken.")
public final class ReleaseEvent extends QorbEvent {

    /** How long the handle was held. */
    @Label("Held")
    @Timespan(Timespan.NANOSECONDS)
    public long held;

    /** Whether the caller invalidated the connection instead of giving it back. */
    @Label("Invalidated")
    public boolean invalidated;
}
