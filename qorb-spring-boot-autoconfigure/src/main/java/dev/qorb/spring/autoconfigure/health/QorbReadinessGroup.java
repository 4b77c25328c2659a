package dev.qorb.spring.autoconfigure.health;

import java.util.List;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.core.env.Environment;

/**
 * Makes {@code qorb} a member of the {@code readiness} health group that Spring Boot's
 * availability probes add, so that a pool that cannot serve takes the instance out of traffic;
 * it stays out of {@code liveness}, so that a dead backend does not get the instance restarted.
 * A readiness group whose members the application set ({@code include} or {@code exclude}) is
 * left as it is.
 *
 * <p>Spring Boot's probes post-processor creates the group and runs at the lowest precedence,
 * as this one does; this one's auto-configuration comes after it, so it runs after it.
 */
final class QorbReadinessGroup implements HealthEndpointGroupsPostProcessor {

    private static final String READINESS = "readiness";
    private static final String QORB = "qorb";

    private final Environment environment;

    QorbReadinessGroup(Environment environment) {
        this.environment = environment;
    }

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        HealthEndpointGroup readiness = groups.get(READINESS);
        if (readiness == null || readiness.isMember(QORB) || membersChosen()) {
            return groups;
        }
        return new WithQorbReady(groups, new QorbMember(readiness));
    }

    private boolean membersChosen() {
        Binder binder = Binder.get(environment);
        String group = "management.endpoint.health.group." + READINESS;
        return binder.bind(group + ".include", String[].class).isBound()
                || binder.bind(group + ".exclude", String[].class).isBound();
    }

    /** The groups, with the readiness group replaced. */
    private record WithQorbReady(HealthEndpointGroups groups, HealthEndpointGroup readiness)
            implements HealthEndpointGroups, AdditionalPathsMapper {

        @Override
        public HealthEndpointGroup getPrimary() {
            return groups.getPrimary();
        }

        @Override
        public Set<String> getNames() {
            return groups.getNames();
        }

        @Override
        public HealthEndpointGroup get(String name) {
            return READINESS.equals(name) ? readiness : groups.get(name);
        }

        @Override
        public List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace webServerNamespace) {
            return groups instanceof AdditionalPathsMapper mapper
                    ? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
        }
    }

    /** A group that also has qorb and its pools as members. */
    private record QorbMember(HealthEndpointGroup group) implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            return group.isMember(name) || name.equals(QORB) || name.startsWith(QORB + "/");
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return group.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return group.getAdditionalPath();
        }
    }
}
