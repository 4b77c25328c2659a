package dev.qorb.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** Tells the newcomer where to look. */
@Component
class StartupMessage implements ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(StartupMessage.class);

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        log.info("qorb sample app is up: open http://localhost:{}/ for the live view"
                + " (actuator: /actuator/qorb, /actuator/health)", event.getWebServer().getPort());
    }
}
