package dev.qorb.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.Environment;

/**
 * A property as the user wrote it: its name in Spring Boot's canonical form, for matching, and
 * as written ({@code qorb.pools.orders.maxSlots}, {@code QORB_POOLS_ORDERS_MAXSLOTS}), for
 * messages, with where it came from.
 *
 * @param name the canonical name
 * @param written the name as written in its property source
 * @param origin where it was written (file and line), if known
 * @param value its value
 */
record WrittenKey(ConfigurationPropertyName name, String written, Origin origin, Object value) {

    /** The name of {@code property} as its source has it. */
    static WrittenKey of(ConfigurationProperty property) {
        String written = property.getName().toString();
        for (Origin origin = property.getOrigin(); origin != null; origin = origin.getParent()) {
            if (origin instanceof PropertySourceOrigin source) {
                written = source.getPropertyName();
                break;
            }
        }
        return new WrittenKey(property.getName(), written, property.getOrigin(), property.getValue());
    }

    /**
     * Every property under {@code prefix} in the environment's enumerable sources, highest
     * precedence first; a name set in several sources once, as the winning source wrote it.
     */
    static List<WrittenKey> under(Environment environment, ConfigurationPropertyName prefix) {
        Map<ConfigurationPropertyName, WrittenKey> keys = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.filter(prefix::isAncestorOf).stream().forEach(name ->
                        keys.computeIfAbsent(name, n -> of(source.getConfigurationProperty(n))));
            }
        }
        return List.copyOf(keys.values());
    }

    /**
     * Element {@code index} as written ({@code readReplicas}, {@code a b}); Spring Boot's own
     * form of it when the written name cannot be split the same way (environment variables).
     */
    String element(int index) {
        List<Part> parts = parts();
        return parts.size() == name.getNumberOfElements() ? parts.get(index).text()
                : name.getElement(index, ConfigurationPropertyName.Form.ORIGINAL);
    }

    /** The written name up to element {@code count} (exclusive), e.g. {@code qorb.pools.readReplicas}. */
    String prefix(int count) {
        List<Part> parts = parts();
        return parts.size() == name.getNumberOfElements() ? written.substring(0, parts.get(count - 1).end())
                : name.chop(count).toString();
    }

    /** One element of the written name, and where it ends in it (after its closing bracket, if any). */
    private record Part(String text, int end) {
    }

    /** The written name split at dots outside brackets; a bracketed element without its brackets. */
    private List<Part> parts() {
        List<Part> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c == '[') {
                int close = written.indexOf(']', i);
                if (close < 0) {
                    return List.of();
                }
                if (i > start) {
                    parts.add(new Part(written.substring(start, i), i));
                }
                parts.add(new Part(written.substring(i + 1, close), close + 1));
                i = close;
                start = close + 1;
            } else if (c == '.') {
                if (i > start) {
                    parts.add(new Part(written.substring(start, i), i));
                }
                start = i + 1;
            }
        }
        if (start < written.length()) {
            parts.add(new Part(written.substring(start), written.length()));
        }
        return parts;
    }

    /** {@code " (from <origin>)"}, or nothing when the origin is unknown. */
    String from() {
        return origin == null ? "" : " (from " + origin + ")";
    }
}
