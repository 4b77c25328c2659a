package dev.qorb.sample;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Stops the whole app {@code qorb-sample.run-for} (an hour) after it is ready, so that a demo
 * left running in a forgotten terminal does not keep a machine busy: the context closes as on
 * Ctrl-C (claimers, pools, web server, demo backends), and with nothing left running the JVM
 * exits.
 */
@Component
class RunLimit implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(RunLimit.class);

    private final ConfigurableApplicationContext context;
    private final SampleProperties properties;
    /** Counted down when the context closes first, so that the waiting thread ends at once. */
    private final CountDownLatch closed = new CountDownLatch(1);

    RunLimit(ConfigurableApplicationContext context, SampleProperties properties) {
        this.context = context;
        this.properties = properties;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (event.getApplicationContext() != context) {
            return;
        }
        Thread timer = new Thread(this::closeWhenTimeIsUp, "qorb-sample-run-limit");
        timer.setDaemon(true);
        timer.start();
    }

    @EventListener
    void contextClosed(ContextClosedEvent event) {
        if (event.getApplicationContext() == context) {
            closed.countDown();
        }
    }

    private void closeWhenTimeIsUp() {
        try {
            if (!closed.await(properties.runFor().toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("qorb sample app: stopping by itself after {} (qorb-sample.run-for)", properties.runFor());
                context.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
