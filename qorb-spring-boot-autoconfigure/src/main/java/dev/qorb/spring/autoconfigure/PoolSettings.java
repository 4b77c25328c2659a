package dev.qorb.spring.autoconfigure;

import dev.qorb.BackendPolicy;
import dev.qorb.Policy;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * One pool's properties ({@code qorb.defaults}, then its own) turned into a {@link Policy}, with
 * every invalid value reported as the property that holds it, as the user wrote it: the pool's
 * own key, else the {@code qorb.defaults} key it came from.
 */
final class PoolSettings {

    /** A field name in a Policy message ({@code sparesWanted}, {@code backend.maxBackoff}, {@code dns.queryInterval}). */
    private static final Pattern FIELD = Pattern.compile("\\b(?:backend\\.|dns\\.)?[a-z]+(?:[A-Z][a-z]*)+\\b"
            + "|\\bdns\\.(?:name|port|servers)\\b");
    private static final Pattern ISO_DURATION = Pattern.compile("\\bPT[-0-9.HMS]+\\b");

    private final String name;
    private final QorbPoolProperties properties;
    /** The pool's own keys, by uniform path below {@code qorb.pools.<name>} ({@code backend.maxslots}). */
    private final Map<String, WrittenKey> own;
    /** The keys of {@code qorb.defaults}, likewise. */
    private final Map<String, WrittenKey> defaults;

    PoolSettings(String name, QorbPoolProperties properties, Map<String, WrittenKey> own,
            Map<String, WrittenKey> defaults) {
        this.name = name;
        this.properties = properties;
        this.own = own;
        this.defaults = defaults;
    }

    String name() {
        return name;
    }

    QorbPoolProperties properties() {
        return properties;
    }

    /** {@code qorb.pools.<name>}. */
    String prefix() {
        return "qorb.pools." + name;
    }

    /** The path of {@code name} below its element {@code from}, uniform, with list indices: {@code resolver.fixed.addresses[1]}. */
    static String path(ConfigurationPropertyName name, int from) {
        StringBuilder path = new StringBuilder();
        for (int i = from; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, ConfigurationPropertyName.Form.UNIFORM);
            if (name.isNumericIndex(i)) {
                path.append('[').append(element).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(element);
            }
        }
        return path.toString();
    }

    /** {@code backend.max-slots} as {@code backend.maxslots}. */
    static String uniformPath(String dashed) {
        return PropertyTree.uniform(dashed);
    }

    /**
     * The key that set {@code path} ({@code backend.max-slots}, {@code resolver.fixed.addresses[1]}):
     * the pool's own, else the default's; {@code null} when neither did.
     */
    WrittenKey key(String path) {
        String uniform = uniformPath(path);
        WrittenKey key = own.get(uniform);
        return key != null ? key : defaults.get(uniform);
    }

    /** The pool's own key for {@code path}, or {@code null}. */
    WrittenKey ownKey(String path) {
        return own.get(uniformPath(path));
    }

    /** The pool's own keys below {@code path}, in the order found. */
    List<WrittenKey> ownKeysUnder(String path) {
        String uniform = uniformPath(path) + ".";
        return own.entrySet().stream().filter(e -> e.getKey().startsWith(uniform)).map(Map.Entry::getValue).toList();
    }

    /** The property to name for {@code path}: as written where it was set, else under this pool. */
    String property(String path) {
        WrittenKey key = key(path);
        return key != null ? key.written() : prefix() + "." + path;
    }

    /** A problem with the value at {@code path}. */
    QorbConfigurationException invalid(String path, String problem, String action, Throwable cause) {
        WrittenKey key = key(path);
        return new QorbConfigurationException(property(path), key == null ? null : key.origin(), problem, action,
                cause);
    }

    /** @throws QorbConfigurationException naming the property whose value is invalid */
    Policy policy() {
        QorbPoolProperties.Backend backend = properties.getBackend();
        try {
            BackendPolicy.Builder backendPolicy = BackendPolicy.builder()
                    .maxSlots(backend.getMaxSlots())
                    .minBackoff(backend.getMinBackoff())
                    .maxBackoff(backend.getMaxBackoff())
                    .spread(backend.getSpread())
                    .healthCheckTimeout(backend.getHealthCheckTimeout())
                    .connectTimeout(backend.getConnectTimeout())
                    .idleTimeout(backend.getIdleTimeout())
                    .ejectAfterFailures(backend.getEjectAfterFailures());
            unlessZero(backend.getHealthInterval())
                    .ifPresentOrElse(backendPolicy::healthInterval, backendPolicy::noHealthChecks);
            unlessZero(backend.getMaxLifetime())
                    .ifPresentOrElse(backendPolicy::maxLifetime, backendPolicy::noMaxLifetime);
            unlessZero(backend.getAliveBypassWindow())
                    .ifPresentOrElse(backendPolicy::aliveBypassWindow, backendPolicy::noAliveCheck);
            Policy.Builder policy = Policy.builder()
                    .sparesWanted(properties.getSparesWanted())
                    .maxSlots(properties.getMaxSlots())
                    .rebalanceInterval(properties.getRebalanceInterval())
                    .claimTimeout(properties.getClaimTimeout())
                    .maxConnectorCalls(properties.getMaxConnectorCalls())
                    .failOnNoBackends(properties.isFailOnNoBackends())
                    .backend(backendPolicy.build());
            if (properties.getMaxWaiters() != null) {
                policy.maxWaiters(properties.getMaxWaiters());
            }
            unlessZero(properties.getTargetClaimDelay()).ifPresent(policy::targetClaimDelay);
            unlessZero(properties.getLeakDetectionThreshold()).ifPresent(policy::leakDetectionThreshold);
            unlessZero(properties.getDecoherenceInterval()).ifPresent(policy::decoherenceInterval);
            return policy.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw fromMessage("", e, "Fix it in your configuration (see the qorb property reference in the README).");
        }
    }

    /**
     * A duration whose property says "0 (or unset) for off", as the core's empty {@code Optional}.
     * A negative value stays, for the core to reject with the field's name.
     */
    private static Optional<Duration> unlessZero(Duration value) {
        return value == null || value.isZero() ? Optional.empty() : Optional.of(value);
    }

    /**
     * Maps a validation message that names fields ({@code sparesWanted (9) must not exceed
     * maxSlots (8)}) to the property of the field the user set (their own before a default),
     * and words it in property names.
     *
     * @param section the path of the fields' group, e.g. {@code resolver}
     */
    QorbConfigurationException fromMessage(String section, RuntimeException e, String action) {
        String message = String.valueOf(e.getMessage());
        List<String> paths = new ArrayList<>();
        Matcher field = FIELD.matcher(message);
        StringBuilder problem = new StringBuilder();
        while (field.find()) {
            String dashed = Arrays.stream(field.group().split("\\.")).map(DataObjectPropertyName::toDashedForm)
                    .collect(Collectors.joining("."));
            paths.add((section.isEmpty() ? "" : section + ".") + dashed);
            field.appendReplacement(problem, Matcher.quoteReplacement(dashed));
        }
        field.appendTail(problem);
        String chosen = paths.stream().filter(p -> ownKey(p) != null).findFirst()
                .or(() -> paths.stream().filter(p -> key(p) != null).findFirst())
                .orElse(paths.isEmpty() ? section : paths.get(0));
        return invalid(chosen, durations(problem.toString()), action, e);
    }

    /** {@code PT0.01S} as {@code 10ms}. */
    private static String durations(String text) {
        return ISO_DURATION.matcher(text).replaceAll(match -> {
            try {
                return ValueProblems.format(Duration.parse(match.group()));
            } catch (DateTimeParseException e) {
                return match.group();
            }
        });
    }
}
