package dev.qorb.jdbc;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * Proxies for the JDBC interfaces, made with {@link Proxy}, so that the wrappers need to
 * handle only the methods they change and pass the rest on, whatever the Java version adds
 * to the interfaces. Each proxy class's constructor is looked up once: a connection proxy is
 * made per claim, and {@link Proxy#newProxyInstance} costs a cache lookup and a reflective
 * call each time.
 */
final class Proxies {

    private static final MethodType CONSTRUCTOR = MethodType.methodType(Object.class, InvocationHandler.class);
    private static final ClassValue<MethodHandle> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            // Proxy classes of public interfaces in exported packages are public, with a public constructor.
            Class<?> proxyClass = Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {type},
                    (proxy, method, args) -> null).getClass();
            try {
                return MethodHandles.publicLookup()
                        .findConstructor(proxyClass, MethodType.methodType(void.class, InvocationHandler.class))
                        .asType(CONSTRUCTOR);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no public constructor on the proxy class of " + type, e);
            }
        }
    };
    private static final MethodHandle CONNECTION = CONSTRUCTORS.get(Connection.class);
    private static final Class<?> CONNECTION_CLASS = connection((proxy, method, args) -> null).getClass();

    private Proxies() {
    }

    static Connection connection(InvocationHandler handler) {
        try {
            return (Connection) (Object) CONNECTION.invokeExact(handler);
        } catch (Throwable e) {
            throw new IllegalStateException("could not make a connection proxy", e);
        }
    }

    /** The handler of {@code connection} if it is a proxy {@link #connection} made, else {@code null}. */
    static InvocationHandler handlerOf(Connection connection) {
        return connection != null && connection.getClass() == CONNECTION_CLASS ? Proxy.getInvocationHandler(connection)
                : null;
    }

    /** A proxy of {@code type}, an interface of {@code java.sql}. */
    static Object create(Class<?> type, InvocationHandler handler) {
        try {
            return (Object) CONSTRUCTORS.get(type).invokeExact(handler);
        } catch (Throwable e) {
            throw new IllegalStateException("could not make a proxy of " + type, e);
        }
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
