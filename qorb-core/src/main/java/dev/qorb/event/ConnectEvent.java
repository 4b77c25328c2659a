package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One connect attempt to a backend. */
@Name("dev.qorb.Connect")
@Label("Connect")
@Description("One connect attempt to a backend.")
public final class ConnectEvent extends AttemptEvent {
}
