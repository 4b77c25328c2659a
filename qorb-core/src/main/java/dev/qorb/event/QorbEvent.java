package dev.qorb.event;

import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;

/** Fields every qorb event has. */
@Category("qorb")
public abstract class QorbEvent extends Event {

    /** The pool's name. */
    @Label("Pool")
    public String pool;

    /** The backend, as {@code address:port}, where one is involved. */
    @Label("Backend")
    public String backend;
}
