package dev.qorb.event;

import jdk.jfr.Label;

/** An attempt that succeeds or fails: a connect, a health check, a recycle. */
public abstract class AttemptEvent extends QorbEvent {

    /** Whether it succeeded. */
    @Label("Success")
    public boolean success;

    /** The failure, as {@code ExceptionType: message}, when it failed. */
    @Label("Error")
    public String error;
}
