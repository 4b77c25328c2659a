package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** A backend going online (its first connected slot) or offline (its last). */
@Name("dev.qorb.BackendStateChange")
@Label("Backend State Change")
@Description("A backend going online (its first connected slot) or offline (its last).")
public final class BackendStateChangeEvent extends QorbEvent {

    /** Whether the backend is now online. */
    @Label("Online")
    public boolean online;
}
