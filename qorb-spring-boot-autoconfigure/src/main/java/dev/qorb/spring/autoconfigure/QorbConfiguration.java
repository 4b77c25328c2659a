package dev.qorb.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * Everything under {@code qorb} in the environment, checked before any bean exists, each
 * problem reported as the property the user wrote: pool names, keys qorb does not bind, keys
 * that cannot be defaulted, values that do not convert, and the top-level values.
 *
 * <p>The pool names are the rule of this class: lowercase kebab-case, the only names that reach
 * {@code @QorbClient}, bean names and metric tags unchanged under Spring Boot's relaxed binding.
 */
final class QorbConfiguration {

    static final ConfigurationPropertyName QORB = ConfigurationPropertyName.of("qorb");
    static final ConfigurationPropertyName POOLS = ConfigurationPropertyName.of("qorb.pools");
    static final ConfigurationPropertyName DEFAULTS = ConfigurationPropertyName.of("qorb.defaults");
    /** Where a pool's name is in {@code qorb.pools.<name>.*}. */
    static final int POOL_NAME_INDEX = 2;
    static final Pattern POOL_NAME = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
    static final String POOL_NAME_RULE = "lowercase letters, digits and single hyphens between them, e.g."
            + " orders or read-replicas";
    static final PropertyTree TREE = PropertyTree.of(QorbProperties.class);
    /** The keys that say which backends a pool has: one pool's, never everyone's. */
    private static final List<String> NOT_DEFAULTABLE = List.of("resolver.fixed", "resolver.dns.service",
            "resolver.dns.host", "resolver.dns.port", "resolver.bean");

    private final Binder binder;
    private final List<WrittenKey> keys;
    private final Set<String> pools = new LinkedHashSet<>();
    private final QorbProperties properties;

    private QorbConfiguration(Environment environment) {
        this.keys = WrittenKey.under(environment, QORB);
        Set<ConfigurationPropertyName> emptyGroups = new HashSet<>();
        for (WrittenKey key : keys) {
            if (check(key)) {
                emptyGroups.add(key.name());
            }
            if (POOLS.isAncestorOf(key.name()) && key.name().getNumberOfElements() > POOL_NAME_INDEX) {
                pools.add(key.element(POOL_NAME_INDEX));
            }
        }
        // A key of a group written with no value (YAML "orders:" alone) declares a pool, but Spring Boot
        // would try to convert its empty value into the group's type: bind without those keys.
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        ConfigurationPropertySources.get(environment).forEach(source ->
                sources.add(source.filter(name -> !emptyGroups.contains(name))));
        this.binder = new Binder(sources, new PropertySourcesPlaceholdersResolver(environment));
        this.properties = bind(QORB, new QorbProperties());
        notNegative("qorb.shutdown-timeout", properties.getShutdownTimeout());
        notNegative("qorb.health.startup-grace", properties.getHealth().getStartupGrace());
        if (properties.getMetrics().getMaxTaggedBackends() < 1) {
            throw invalid("qorb.metrics.max-tagged-backends", "must be at least 1 but was "
                    + properties.getMetrics().getMaxTaggedBackends(), "Set it to 1 or more (default 20).");
        }
    }

    /**
     * @throws QorbConfigurationException naming the first property that is wrong
     */
    static QorbConfiguration read(Environment environment) {
        return new QorbConfiguration(environment);
    }

    /** Whether any property names a pool, without checking anything. */
    static boolean anyPool(Environment environment) {
        return !WrittenKey.under(environment, POOLS).isEmpty();
    }

    /** The pools, in the order their first key was found. */
    Set<String> poolNames() {
        return pools;
    }

    QorbProperties properties() {
        return properties;
    }

    /**
     * One pool's settings: {@code qorb.defaults}, then its own values.
     *
     * @throws QorbConfigurationException when a value does not convert
     */
    PoolSettings pool(String name) {
        QorbPoolProperties pool = bind(DEFAULTS, new QorbPoolProperties());
        ConfigurationPropertyName prefix = POOLS.append(name);
        bind(prefix, pool);
        return new PoolSettings(name, pool, relative(prefix), relative(DEFAULTS));
    }

    /** The keys under {@code prefix}, by their path below it in uniform form ({@code backend.maxslots}). */
    private Map<String, WrittenKey> relative(ConfigurationPropertyName prefix) {
        Map<String, WrittenKey> relative = new LinkedHashMap<>();
        for (WrittenKey key : keys) {
            if (prefix.isAncestorOf(key.name())) {
                relative.put(PoolSettings.path(key.name(), prefix.getNumberOfElements()), key);
            }
        }
        return relative;
    }

    private <T> T bind(ConfigurationPropertyName name, T target) {
        try {
            binder.bind(name, Bindable.ofInstance(target));
            return target;
        } catch (BindException e) {
            throw ValueProblems.notConverted(e);
        }
    }

    /** @return whether the key names a group and has an empty value */
    private boolean check(WrittenKey key) {
        ConfigurationPropertyName name = key.name();
        if (POOLS.isAncestorOf(name) && name.getNumberOfElements() > POOL_NAME_INDEX) {
            String pool = key.element(POOL_NAME_INDEX);
            if (!POOL_NAME.matcher(pool).matches()) {
                throw new QorbConfigurationException(key.prefix(POOL_NAME_INDEX + 1), key.origin(),
                        "the pool name '" + pool + "' is not lowercase kebab-case",
                        "Rename the pool '" + ValueProblems.kebab(pool) + "' (" + POOL_NAME_RULE + "): the name is"
                                + " its key under qorb.pools, its @QorbClient value and its metrics' pool tag.",
                        null);
            }
        }
        int mismatch = TREE.mismatch(name, 1);
        if (mismatch >= 0) {
            throw UnknownKeys.problem(key, mismatch);
        }
        boolean group = TREE.at(name, 1, name.getNumberOfElements()).kind() == PropertyTree.Kind.GROUP;
        if (group && key.value() != null && !key.value().toString().isBlank()) {
            throw UnknownKeys.valueOnGroup(key);
        }
        if (DEFAULTS.isAncestorOf(name)) {
            String path = PoolSettings.path(name, DEFAULTS.getNumberOfElements());
            for (String backends : NOT_DEFAULTABLE) {
                String uniform = PoolSettings.uniformPath(backends);
                if (path.equals(uniform) || path.startsWith(uniform + ".") || path.startsWith(uniform + "[")) {
                    throw new QorbConfigurationException(key.written(), key.origin(),
                            "which backends a pool has cannot be defaulted: every pool would get the same ones",
                            "Set it on each pool instead, as qorb.pools.<name>." + backends + ". DNS settings"
                                    + " other than service, host and port (servers, intervals, family) may be"
                                    + " defaulted.", null);
                }
            }
        }
        return group;
    }

    private void notNegative(String property, Duration value) {
        if (value != null && value.isNegative()) {
            throw invalid(property, "must not be negative but was " + ValueProblems.format(value),
                    "Set it to 0 or a positive duration such as 30s.");
        }
    }

    private QorbConfigurationException invalid(String property, String problem, String action) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        WrittenKey key = keys.stream().filter(k -> k.name().equals(name)).findFirst()
                .orElse(new WrittenKey(name, property, null, null));
        return new QorbConfigurationException(key.written(), key.origin(), problem, action, null);
    }
}
