package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One onRecycle check of a returned connection. */
@Name("dev.qorb.Recycle")
@Label("Recycle")
@Description("One onRecycle check of a returned connection.")
public final class RecycleEvent extends AttemptEvent {
}
