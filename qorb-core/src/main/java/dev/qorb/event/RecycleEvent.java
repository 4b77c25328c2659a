package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/**
 * One onRecycle check of a returned connection. Recorded by default only when it took 10 ms or
 * more, since it runs once per release (set the threshold to 0 to see all).
 */
@Name("dev.qorb.Recycle")
@Label("Recycle")
@Description("One onRecycle check of a returned connection.")
@Threshold("10 ms")
public final class RecycleEvent extends AttemptEvent {
}
