package dev.qorb.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureWindowTest {

    @Test
    void countsOnlyFailuresInsideTheWindow() {
        FailureWindow window = new FailureWindow(100);
        window.record(0);
        window.record(50);
        window.record(90);
        assertThat(window.count(100)).isEqualTo(3);
        assertThat(window.count(151)).isEqualTo(1);
        assertThat(window.count(191)).isZero();
    }

    @Test
    void aStormOfFailuresIsBounded() {
        FailureWindow window = new FailureWindow(Long.MAX_VALUE / 2);
        for (int i = 0; i < FailureWindow.CAPACITY * 3; i++) {
            window.record(i);
        }
        assertThat(window.count(FailureWindow.CAPACITY * 3)).isEqualTo(FailureWindow.CAPACITY);
    }
}
