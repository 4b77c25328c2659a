package dev.qorb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import org.junit.jupiter.api.Test;

class FatalErrorsTest {

    @Test
    void connectionExceptionsTerminatedSessionsAndTimeoutsAreFatal() {
        assertThat(FatalErrors.isFatal(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(FatalErrors.isFatal(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(FatalErrors.isFatal(new SQLTimeoutException("gave up"))).isTrue();
        assertThat(FatalErrors.isFatal(new SQLException("closed", null, 2399))).isTrue();
    }

    @Test
    void errorsInTheStatementAreNot() {
        assertThat(FatalErrors.isFatal(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(FatalErrors.isFatal(new SQLException("unique violation", "23505"))).isFalse();
        assertThat(FatalErrors.isFatal(new SQLException("no state"))).isFalse();
    }

    @Test
    void aFatalErrorChainedBehindAnotherCounts() {
        BatchUpdateException batch = new BatchUpdateException("batch failed", "42000", new int[0]);
        batch.setNextException(new SQLException("I/O error", "08006"));
        assertThat(FatalErrors.isFatal(batch)).isTrue();
        assertThat(FatalErrors.isFatal(new SQLException("wrapped", "XX000", new SQLException("lost", "08003"))))
                .isTrue();
    }
}
