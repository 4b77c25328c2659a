package dev.qorb.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The one-command demo. {@link DemoBackendsInitializer} starts echo backends and a DNS server
 * publishing them on loopback before the context; the pools come from {@code application.yml}
 * through the starter, as in any application; {@link Workload} claims from them; the page at
 * {@code /} shows it all live and lets you stop backends, take them out of DNS, drain them and
 * change the load. {@link RunLimit} stops the app after {@code qorb-sample.run-for}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
