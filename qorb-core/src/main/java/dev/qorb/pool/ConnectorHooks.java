package dev.qorb.pool;

import dev.qorb.connector.Connector;

/**
 * Which optional hooks a connector really has, found once by reflection so that the claim
 * path skips calls to defaults that do nothing: without {@code onAcquire} a claim runs no
 * user code, and without {@code onRecycle}/{@code isValid} a release hands the connection
 * straight back, in the releasing thread.
 *
 * @param onAcquire whether {@code onAcquire} is overridden
 * @param recycles whether a returned connection needs a check ({@code onRecycle} or {@code isValid} overridden)
 * @param validates whether {@code isValid} is overridden, so that a long-idle connection can be checked before it is lent
 */
record ConnectorHooks(boolean onAcquire, boolean recycles, boolean validates) {

    static ConnectorHooks of(Connector<?> connector) {
        Class<?> type = connector.getClass();
        boolean validates = overrides(type, "isValid");
        return new ConnectorHooks(overrides(type, "onAcquire"), overrides(type, "onRecycle") || validates, validates);
    }

    private static boolean overrides(Class<?> type, String hook) {
        try {
            return type.getMethod(hook, Object.class).getDeclaringClass() != Connector.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("Connector." + hook + " is missing", e);
        }
    }
}
