package dev.qorb.sample;

import dev.qorb.Policy;
import dev.qorb.Pool;
import dev.qorb.connector.TcpConnector;
import dev.qorb.resolver.FixedResolver;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The demo's backends and pool, built with qorb-core directly until the starter wires pools from application.yml. */
@Configuration(proxyBeanMethods = false)
class DemoConfiguration {

    @Bean(destroyMethod = "close")
    EchoBackends echoBackends(SampleProperties properties) throws IOException {
        return new EchoBackends(properties.backends());
    }

    @Bean(destroyMethod = "close")
    Pool<Socket> echoPool(EchoBackends backends) {
        return Pool.builder("echo", new TcpConnector(Duration.ofSeconds(1)))
                .resolver(new FixedResolver(backends.backends()))
                .policy(Policy.builder().maxSlots(12).sparesWanted(6).claimTimeout(Duration.ofSeconds(5))
                        .rebalanceInterval(Duration.ofSeconds(5))
                        .backend(b -> b.healthInterval(Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(2)))
                        .build())
                .build();
    }

    @Bean
    DemoWorkload demoWorkload(Pool<Socket> echoPool, EchoBackends backends, SampleProperties properties) {
        return new DemoWorkload(echoPool, backends, properties);
    }
}
