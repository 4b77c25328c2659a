package dev.qorb.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * Proxies for the JDBC interfaces, made with {@link Proxy}, so that the wrappers need to
 * handle only the methods they change and pass the rest on, whatever the Java version adds
 * to the interfaces.
 */
final class Proxies {

    private static final ClassLoader JDBC = Connection.class.getClassLoader();
    private static final Class<?>[] CONNECTION = {Connection.class};

    private Proxies() {
    }

    static Connection connection(InvocationHandler handler) {
        return (Connection) Proxy.newProxyInstance(JDBC, CONNECTION, handler);
    }

    /** A proxy of {@code type}, an interface of {@code java.sql}. */
    static Object create(Class<?> type, InvocationHandler handler) {
        return Proxy.newProxyInstance(JDBC, new Class<?>[] {type}, handler);
    }

    /** Whether {@code method} is one that {@link #answer} answers: the same for every wrapper. */
    static boolean answersAlike(Method method) {
        return switch (method.getName()) {
            case "equals", "hashCode", "toString", "unwrap", "isWrapperFor" -> true;
            default -> false;
        };
    }

    /**
     * Answers for the proxy {@code self} of the driver's {@code driver}: equality by identity,
     * and {@code unwrap}/{@code isWrapperFor} reaching the driver's object, as HikariCP's do.
     */
    static Object answer(Object self, Method method, Object[] args, Wrapper driver) throws SQLException {
        return switch (method.getName()) {
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            case "toString" -> "qorb:" + driver;
            case "unwrap" -> ((Class<?>) args[0]).isInstance(driver) ? driver : driver.unwrap((Class<?>) args[0]);
            case "isWrapperFor" -> ((Class<?>) args[0]).isInstance(driver) || driver.isWrapperFor((Class<?>) args[0]);
            default -> throw new IllegalArgumentException(method.getName() + " is not answered alike");
        };
    }
}
