package dev.qorb.spring.autoconfigure.endpoint;

import dev.qorb.Pool;
import dev.qorb.spring.actuate.QorbEndpoint;
import dev.qorb.spring.actuate.TextSanitizer;
import dev.qorb.spring.autoconfigure.ConditionalOnQorbEnabled;
import dev.qorb.spring.autoconfigure.QorbAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code qorb} endpoint, when actuator is present and the endpoint enabled and exposed. */
@AutoConfiguration(after = QorbAutoConfiguration.class)
@ConditionalOnClass({Pool.class, Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnQorbEnabled
public final class QorbEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    QorbEndpoint qorbEndpoint(ObjectProvider<Pool<?>> pools, ObjectProvider<TextSanitizer> sanitizer) {
        return new QorbEndpoint(() -> pools.orderedStream().toList(), sanitizer.getIfAvailable(TextSanitizer::defaults));
    }
}
