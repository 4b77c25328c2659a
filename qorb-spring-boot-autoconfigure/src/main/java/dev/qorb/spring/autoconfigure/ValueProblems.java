package dev.qorb.spring.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;

/** The words of qorb's configuration messages: what a value should look like, and names in users' forms. */
final class ValueProblems {

    private ValueProblems() {
    }

    /** A value Spring Boot could not convert, reported as the property the user wrote. */
    static QorbConfigurationException notConverted(BindException e) {
        ConfigurationProperty property = e.getProperty();
        WrittenKey key = property != null ? WrittenKey.of(property)
                : new WrittenKey(e.getName(), e.getName().toString(), null, null);
        Class<?> type = e.getTarget().getType().resolve(Object.class);
        String expected = expected(type);
        String value = property == null ? "" : String.valueOf(property.getValue());
        return new QorbConfigurationException(key.written(), key.origin(), "'" + value + "' is not " + expected,
                "Write " + expected + ".", e);
    }

    /** What a value of {@code type} looks like, in words. */
    static String expected(Class<?> type) {
        if (type == Duration.class) {
            return "a duration such as 500ms, 10s or 2m (a number alone is milliseconds)";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> kebab(((Enum<?>) constant).name())).collect(Collectors.joining(", "));
        }
        return "a " + type.getSimpleName();
    }

    /** {@code readReplicas}, {@code read_replicas}, {@code Read Replicas} and {@code a.b} in lowercase kebab-case. */
    static String kebab(String name) {
        String dashed = name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-");
        return dashed.replaceAll("^-+|-+$", "");
    }

    /** {@code 30s}, {@code 500ms}, {@code -5s}: a duration as users write it. */
    static String format(Duration duration) {
        if (duration.toNanos() % 1_000_000 != 0) {
            return duration.toNanos() + "ns";
        }
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
