package dev.qorb.spring.autoconfigure;

/**
 * A qorb pool is configured wrongly: names the property, what is wrong with it and how to
 * fix it. {@link QorbConfigurationFailureAnalyzer} shows it at startup.
 */
public class QorbConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String action;

    public QorbConfigurationException(String property, String problem, String action, Throwable cause) {
        super(property + ": " + problem, cause);
        this.property = property;
        this.action = action;
    }

    /** The property at fault, e.g. {@code qorb.pools.orders.max-slots}. */
    public String property() {
        return property;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
