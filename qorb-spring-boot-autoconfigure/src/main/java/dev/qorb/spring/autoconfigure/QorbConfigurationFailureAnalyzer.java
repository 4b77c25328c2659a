package dev.qorb.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows a wrong qorb property at startup: which property, what is wrong, what to do. */
class QorbConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<QorbConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, QorbConfigurationException cause) {
        return new FailureAnalysis("The qorb pool configuration is invalid.\n\n    Property: " + cause.property()
                + "\n    Problem:  " + cause.getMessage().substring(cause.property().length() + 2),
                cause.action(), cause);
    }
}
