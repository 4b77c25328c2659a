package dev.qorb.event;

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** One isValid check of an idle connection. */
@Name("dev.qorb.HealthCheck")
@Label("Health Check")
@Description("One isValid check of an idle connection.")
public final class HealthCheckEvent extends AttemptEvent {
}
