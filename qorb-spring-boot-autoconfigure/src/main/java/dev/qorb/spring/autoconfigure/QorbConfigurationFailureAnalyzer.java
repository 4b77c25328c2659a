package dev.qorb.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Shows a wrong qorb property at startup: which property, where it was set, what is wrong, what to do. */
class QorbConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<QorbConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, QorbConfigurationException cause) {
        return new FailureAnalysis("The qorb configuration is invalid.\n\n    Property: " + cause.property()
                + (cause.origin() == null ? "" : "\n    Origin:   " + cause.origin())
                + "\n    Problem:  " + cause.problem(), cause.action(), cause);
    }
}
