package dev.qorb.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.qorb.Backend;
import dev.qorb.Handle;
import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.PoolStats;
import dev.qorb.connector.Connector;
import dev.qorb.resolver.FixedResolver;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import stormpot.Allocator;
import stormpot.Pooled;
import stormpot.Slot;
import stormpot.Timeout;

/**
 * One pool of the comparison, behind one interface: claim an object, give it back. Every pool
 * is filled before measuring, and every claim may wait up to 30 s.
 */
interface PoolUnderTest extends AutoCloseable {

    /** The kinds benchmarks can ask for with {@code @Param}. */
    String QORB = "qorb";
    String COMMONS_POOL2 = "commons-pool2";
    String STORMPOT = "stormpot";
    String HIKARICP = "hikaricp";
    String BLOCKING_QUEUE = "array-blocking-queue";

    /** Claims one object; the return value is what {@link #release} takes back. */
    Object claim() throws Exception;

    void release(Object claimed) throws Exception;

    /** One claim given straight back: the fast path. */
    default Object claimAndRelease() throws Exception {
        Object claimed = claim();
        release(claimed);
        return claimed;
    }

    @Override
    void close() throws Exception;

    static PoolUnderTest create(String kind, int size) throws Exception {
        return create(kind, size, 1);
    }

    /** @param backends for qorb, how many backends the slots spread over */
    static PoolUnderTest create(String kind, int size, int backends) throws Exception {
        return switch (kind) {
            case QORB -> qorb(size, backends);
            case COMMONS_POOL2 -> commonsPool2(size);
            case STORMPOT -> stormpot(size);
            case HIKARICP -> hikari(size);
            case BLOCKING_QUEUE -> blockingQueue(size);
            default -> throw new IllegalArgumentException("unknown pool kind '" + kind + "'");
        };
    }

    /**
     * Waits, at most 30 s, until {@code pool} holds {@code idle} idle connections, so that a
     * benchmark measures a pool that has connected.
     *
     * @throws IllegalStateException if it does not
     */
    static void awaitIdle(Pool<?> pool, int idle) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (PoolStats stats = pool.stats(); stats.unclaimed() < idle; stats = pool.stats()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("qorb pool did not fill: " + stats);
            }
            Thread.onSpinWait();
        }
    }

    /**
     * The qorb pool every qorb benchmark measures: {@code size} slots, all connected before it is
     * returned, over {@code backendCount} made-up backends, no health checks, 30 s claim timeout.
     *
     * @param options anything more for the builder (a metrics tracker), or nothing
     */
    static Pool<Object> filledQorb(String name, Connector<Object> connector, int size, int backendCount,
            Consumer<Pool.Builder<Object>> options) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < backendCount; i++) {
            backends.add(Backend.of("127.0.0.1", 10_000 + i));
        }
        Pool.Builder<Object> builder = Pool.builder(name, connector)
                .resolver(new FixedResolver(backends))
                .policy(Policy.builder().maxSlots(size).sparesWanted(size).claimTimeout(Duration.ofSeconds(30))
                        .backend(b -> b.maxSlots(size).noHealthChecks()).build());
        options.accept(builder);
        Pool<Object> pool = builder.build();
        awaitIdle(pool, size);
        return pool;
    }

    private static PoolUnderTest qorb(int size, int backendCount) {
        Pool<Object> pool = filledQorb("bench", backend -> new Object(), size, backendCount, builder -> { });
        return new PoolUnderTest() {
            @Override
            public Object claim() {
                return pool.claim();
            }

            @Override
            public void release(Object claimed) {
                ((Handle<?>) claimed).close();
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    private static PoolUnderTest commonsPool2(int size) throws Exception {
        GenericObjectPool<Object> pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
            @Override
            public Object create() {
                return new Object();
            }

            @Override
            public PooledObject<Object> wrap(Object object) {
                return new DefaultPooledObject<>(object);
            }
        });
        pool.setMaxTotal(size);
        pool.setMaxIdle(size);
        pool.setMaxWait(Duration.ofSeconds(30));
        pool.addObjects(size);
        return new PoolUnderTest() {
            @Override
            public Object claim() throws Exception {
                return pool.borrowObject();
            }

            @Override
            public void release(Object claimed) {
                pool.returnObject(claimed);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    private static PoolUnderTest stormpot(int size) throws Exception {
        stormpot.Pool<Pooled<Object>> pool = stormpot.Pool.from(new Allocator<Pooled<Object>>() {
            @Override
            public Pooled<Object> allocate(Slot slot) {
                return new Pooled<>(slot, new Object());
            }

            @Override
            public void deallocate(Pooled<Object> poolable) {
            }
        }).setSize(size).build();
        Timeout timeout = new Timeout(30, TimeUnit.SECONDS);
        List<Pooled<Object>> warm = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            warm.add(pool.claim(timeout));
        }
        warm.forEach(Pooled::release);
        return new PoolUnderTest() {
            @Override
            public Object claim() throws Exception {
                Pooled<Object> claimed = pool.claim(timeout);
                if (claimed == null) {
                    throw new java.util.concurrent.TimeoutException("stormpot: no object within 30 s");
                }
                return claimed;
            }

            @Override
            public void release(Object claimed) {
                ((Pooled<?>) claimed).release();
            }

            @Override
            public void close() throws InterruptedException {
                pool.shutdown().await(new Timeout(10, TimeUnit.SECONDS));
            }
        };
    }

    private static PoolUnderTest hikari(int size) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setDataSource(StubDataSource.create());
        config.setPoolName("bench");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(config);
        List<Connection> warm = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            warm.add(pool.getConnection());
        }
        for (Connection connection : warm) {
            connection.close();
        }
        return new PoolUnderTest() {
            @Override
            public Object claim() throws Exception {
                return pool.getConnection();
            }

            @Override
            public void release(Object claimed) throws Exception {
                ((Connection) claimed).close();
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    private static PoolUnderTest blockingQueue(int size) {
        ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            queue.add(new Object());
        }
        return new PoolUnderTest() {
            @Override
            public Object claim() throws InterruptedException {
                return queue.poll(30, TimeUnit.SECONDS);
            }

            @Override
            public void release(Object claimed) {
                queue.offer(claimed);
            }

            @Override
            public void close() {
            }
        };
    }

    /** A DataSource whose connections are in-memory stubs, so that HikariCP itself is measured. */
    final class StubDataSource {
        private StubDataSource() {
        }

        static DataSource create() {
            return (DataSource) Proxy.newProxyInstance(StubDataSource.class.getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getConnection" -> connection();
                        case "getLoginTimeout" -> 0;
                        case "isWrapperFor" -> false;
                        default -> null;
                    });
        }

        private static Connection connection() {
            boolean[] closed = {false};
            return (Connection) Proxy.newProxyInstance(StubDataSource.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "isValid", "getAutoCommit" -> true;
                        case "isClosed" -> closed[0];
                        case "close" -> {
                            closed[0] = true;
                            yield null;
                        }
                        case "isReadOnly", "isWrapperFor" -> false;
                        case "getTransactionIsolation" -> Connection.TRANSACTION_READ_COMMITTED;
                        case "getNetworkTimeout", "getHoldability" -> 0;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "StubConnection";
                        default -> null;
                    });
        }
    }
}
