package dev.qorb;

import java.time.Duration;
import java.util.Objects;

/** The checks that {@link Policy} and {@link BackendPolicy} apply to every value, with messages naming the field. */
final class PolicyChecks {

    private PolicyChecks() {
    }

    static Duration positive(String field, Duration value) {
        notNegative(field, value);
        if (value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive but was 0");
        }
        return value;
    }

    static Duration notNegative(String field, Duration value) {
        Objects.requireNonNull(value, () -> field + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative but was " + value);
        }
        return value;
    }

    static int atLeast(String field, int min, int value) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + " but was " + value);
        }
        return value;
    }
}
