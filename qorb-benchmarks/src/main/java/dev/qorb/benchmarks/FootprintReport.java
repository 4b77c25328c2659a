package dev.qorb.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * 4. Background threads alive with 1, 10 and 100 pools of 16 slots, per pool library, and
 * qorb's retained heap per idle slot. Not a JMH benchmark: it counts, it does not time.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.qorb.benchmarks.FootprintReport [maxPools]}.
 */
public final class FootprintReport {

    private FootprintReport() {
    }

    public static void main(String[] args) throws Exception {
        int maxPools = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        System.out.printf("cores: %d%n", Runtime.getRuntime().availableProcessors());
        for (String kind : List.of(PoolUnderTest.QORB, PoolUnderTest.COMMONS_POOL2, PoolUnderTest.STORMPOT,
                PoolUnderTest.HIKARICP)) {
            for (int pools = 1; pools <= maxPools; pools *= 10) {
                int before = Thread.activeCount();
                List<PoolUnderTest> open = open(kind, pools);
                System.out.printf("%-14s %4d pools x 16 slots: %4d threads more%n", kind, pools,
                        Thread.activeCount() - before);
                close(open);
            }
        }
        long before = usedHeapAfterGc();
        List<PoolUnderTest> open = open(PoolUnderTest.QORB, maxPools);
        long after = usedHeapAfterGc();
        System.out.printf("qorb retained heap: %d bytes per idle slot (%d pools x 16 slots, handed-out objects included)%n",
                (after - before) / (maxPools * 16L), maxPools);
        close(open);
    }

    private static List<PoolUnderTest> open(String kind, int count) throws Exception {
        List<PoolUnderTest> pools = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pools.add(PoolUnderTest.create(kind, 16));
        }
        return pools;
    }

    private static void close(List<PoolUnderTest> pools) throws Exception {
        for (PoolUnderTest pool : pools) {
            pool.close();
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
