package dev.qorb.spring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The conditions of {@link ConditionalOnQorbEnabled} and {@link ConditionalOnQorbPools}. */
final class QorbConditions {

    private QorbConditions() {
    }

    /**
     * Whether {@code qorb.enabled} is true or unset.
     *
     * @throws QorbConfigurationException when it is neither true nor false
     */
    static boolean enabled(Environment environment) {
        try {
            return Binder.get(environment).bind("qorb.enabled", Boolean.class).orElse(true);
        } catch (BindException e) {
            throw ValueProblems.notConverted(e);
        }
    }

    static final class Enabled extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return enabled(context.getEnvironment()) ? ConditionOutcome.match("qorb.enabled is not false")
                    : ConditionOutcome.noMatch("qorb.enabled is false");
        }
    }

    static final class PoolsConfigured extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment environment = context.getEnvironment();
            if (!enabled(environment)) {
                return ConditionOutcome.noMatch("qorb.enabled is false");
            }
            return QorbConfiguration.anyPool(environment) ? ConditionOutcome.match("qorb.pools has pools")
                    : ConditionOutcome.noMatch("no property under qorb.pools");
        }
    }
}
