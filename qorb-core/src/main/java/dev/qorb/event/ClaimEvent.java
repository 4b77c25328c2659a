package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One claim, from the call to the handle; its duration is the time waited. */
@Name("dev.qorb.Claim")
@Label("Claim")
@Description("One claim, from the call to the handle; its duration is the time waited.")
public final class ClaimEvent extends QorbEvent {

    /** {@code claimed}, or the {@code ClaimException.Kind} that failed it. */
    @Label("Outcome")
    public String outcome;
}
