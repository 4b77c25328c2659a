package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * A handle given back, or invalidated as broken. Off unless a recording enables it by name: it
 * fires once per claim, and it makes every claim read the clock for its hold time.
 */
@Name("dev.qorb.Release")
@Label("Release")
@Description("A handle given back, or invalidated as broken.")
@Enabled(false)
public final class ReleaseEvent extends QorbEvent {

    /** How long the handle was held. */
    @Label("Held")
    @Timespan(Timespan.NANOSECONDS)
    public long held;

    /** Whether the caller invalidated the connection instead of giving it back. */
    @Label("Invalidated")
    public boolean invalidated;
}
