package dev.qorb.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The call lanes: a bound on calls in flight, deadlines from submission, abandoned calls contained. */
class ConnectorCallsTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final AtomicInteger compensation = new AtomicInteger();
    private final List<String> outcomes = new CopyOnWriteArrayList<>();
    /** Hooks block on this, ignoring interrupts, as a JDBC driver does. */
    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void stop() {
        gate.countDown();
        scheduler.shutdownNow();
        workers.shutdownNow();
    }

    private ConnectorCalls lane(int maxCalls) {
        return new ConnectorCalls("test", workers, scheduler, compensation::addAndGet, Clock.SYSTEM, maxCalls, true);
    }

    private Object hangIgnoringInterrupts() {
        boolean interrupted = false;
        for (;;) {
            try {
                gate.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return "late";
    }

    private ConnectorCalls.Outcome<Object> recording(String name) {
        return new ConnectorCalls.Outcome<>() {
            @Override
            public void completed(Object value, Throwable error) {
                outcomes.add(name + " completed " + (error == null ? value : error.getClass().getSimpleName()));
            }

            @Override
            public void timedOut(TimeoutException timeout, boolean stillRunning) {
                outcomes.add(name + " timedOut " + (stillRunning ? "running" : "queued"));
            }

            @Override
            public void returnedLate(Object value, Throwable error) {
                outcomes.add(name + " returnedLate " + value);
            }
        };
    }

    @Test
    void aHookThatIgnoresInterruptsHoldsItsPlaceAndTheWorkersGrowForIt() {
        ConnectorCalls lane = lane(1);
        lane.submit("hung", TimeUnit.MILLISECONDS.toNanos(50), this::hangIgnoringInterrupts, recording("hung"));
        await().until(() -> outcomes.contains("hung timedOut running"));
        assertThat(compensation).hasValue(1);
        assertThat(lane.inFlight()).isEqualTo(1);

        // The lane is full: the next call waits, and its bound runs from submission.
        lane.submit("next", TimeUnit.MILLISECONDS.toNanos(50), () -> "ok", recording("next"));
        await().until(() -> outcomes.contains("next timedOut queued"));

        gate.countDown();
        await().until(() -> outcomes.contains("hung returnedLate late"));
        assertThat(compensation).hasValue(0);
        await().until(() -> lane.inFlight() == 0);
        assertThat(outcomes).doesNotContain("next completed ok");
    }

    @Test
    void aCloseQueuedLongerThanItsBoundStillRunsSoNoConnectionLeaks() {
        ConnectorCalls closes = new ConnectorCalls("test", workers, scheduler, compensation::addAndGet, Clock.SYSTEM,
                1, false);
        closes.submit("hung close", TimeUnit.MILLISECONDS.toNanos(50), this::hangIgnoringInterrupts,
                recording("hung"));
        await().until(() -> outcomes.contains("hung timedOut running"));
        // Queued behind the hung close well past its own 50 ms bound: it must still run.
        closes.submit("close", TimeUnit.MILLISECONDS.toNanos(50), () -> "closed", recording("queued"));
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> !outcomes.contains("queued timedOut queued"));
        gate.countDown();
        await().until(() -> outcomes.contains("queued completed closed"));
    }

    @Test
    void callsBeyondTheBoundWaitTheirTurnAndNeverRunMoreAtOnce() throws InterruptedException {
        ConnectorCalls lane = lane(2);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(20);
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 20; i++) {
            lane.<Object>submit("call " + i, TimeUnit.SECONDS.toNanos(10), () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                go.await(); // hold every call that started until the lane is seen full
                running.decrementAndGet();
                return "ok";
            }, new ConnectorCalls.Outcome<>() {
                @Override
                public void completed(Object value, Throwable error) {
                    done.countDown();
                }

                @Override
                public void timedOut(TimeoutException timeout, boolean stillRunning) {
                }

                @Override
                public void returnedLate(Object value, Throwable error) {
                }
            });
        }
        // Workers to spare (a cached pool), yet only two calls start; the other 18 wait their turn.
        await().until(() -> running.get() == 2);
        assertThat(lane.inFlight()).isEqualTo(2);
        assertThat(done.getCount()).isEqualTo(20);
        go.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void anErrorFromAHookIsItsOutcomeAndTheLaneGoesOn() {
        ConnectorCalls lane = lane(1);
        lane.<Object>submit("assert", TimeUnit.SECONDS.toNanos(5), () -> {
            throw new AssertionError("boom");
        }, recording("assert"));
        lane.submit("after", TimeUnit.SECONDS.toNanos(5), () -> "ok", recording("after"));
        await().until(() -> outcomes.contains("after completed ok"));
        assertThat(outcomes).contains("assert completed AssertionError");
    }
}
