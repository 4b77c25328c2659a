package dev.qorb.spring.autoconfigure;

import org.springframework.boot.origin.Origin;

/**
 * A qorb pool is configured wrongly: names the property as the user wrote it, what is wrong
 * with it, where it was set when known, and how to fix it. {@link QorbConfigurationFailureAnalyzer}
 * shows it at startup.
 */
public class QorbConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String problem;
    private final String action;
    private final transient Origin origin;

    /**
     * @param property the property at fault, as written
     * @param origin where it was set, or {@code null}
     * @param problem what is wrong with it
     * @param action what to do about it
     * @param cause the underlying failure, or {@code null}
     */
    public QorbConfigurationException(String property, Origin origin, String problem, String action,
            Throwable cause) {
        super(property + ": " + problem, cause);
        this.property = property;
        this.problem = problem;
        this.origin = origin;
        this.action = action;
    }

    /**
     * @param property the property at fault
     * @param problem what is wrong with it
     * @param action what to do about it
     * @param cause the underlying failure, or {@code null}
     */
    public QorbConfigurationException(String property, String problem, String action, Throwable cause) {
        this(property, null, problem, action, cause);
    }

    /** The property at fault as the user wrote it, e.g. {@code qorb.pools.orders.maxSlots}. */
    public String property() {
        return property;
    }

    /** What is wrong with it. */
    public String problem() {
        return problem;
    }

    /** Where it was set (file and line), or {@code null} when unknown. */
    public Origin origin() {
        return origin;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
