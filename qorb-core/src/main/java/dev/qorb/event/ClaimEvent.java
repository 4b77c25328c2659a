package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/**
 * One claim, from the call to the handle; its duration is the time waited. Recorded by default
 * only for claims that waited 10 ms or more: a busy service claims millions of times a minute,
 * and recording every claim would cost more than the claim (set the threshold to 0 to see all).
 */
@Name("dev.qorb.Claim")
@Label("Claim")
@Description("One claim, from the call to the handle; its duration is the time waited.")
@Threshold("10 ms")
public final class ClaimEvent extends QorbEvent {

    /** {@code claimed}, or the {@code ClaimException.Kind} that failed it. */
    @Label("Outcome")
    public String outcome;
}
