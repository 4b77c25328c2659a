package dev.qorb.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Explains a key under {@code qorb} that nothing binds, with the key the user most likely
 * meant: a misspelt one ({@code resolvr}), one missing its parent ({@code fixed.addresses} for
 * {@code resolver.fixed.addresses}), or a pool name with a dot in it.
 */
final class UnknownKeys {

    private UnknownKeys() {
    }

    /**
     * @param key the key
     * @param mismatch the index of its first element that names nothing
     */
    static QorbConfigurationException problem(WrittenKey key, int mismatch) {
        ConfigurationPropertyName name = key.name();
        PropertyTree parent = QorbConfiguration.TREE.at(name, 1, mismatch);
        String known = key.prefix(mismatch);
        String element = key.element(mismatch);
        if (parent.kind() == PropertyTree.Kind.VALUE || parent.kind() == PropertyTree.Kind.LIST) {
            return new QorbConfigurationException(key.written(), key.origin(), known + " is a value and has no key '"
                    + element + "' below it", "Set " + known + " itself (see the qorb property reference in the"
                    + " README).", null);
        }
        String problem = name.isNumericIndex(mismatch) ? known + " is a group of keys, not a list"
                : "qorb has no property '" + element + "' under " + known;
        if (mismatch == QorbConfiguration.POOL_NAME_INDEX + 1 && QorbConfiguration.POOLS.isAncestorOf(name)
                && name.getNumberOfElements() > mismatch + 1
                && parent.mismatch(name, mismatch + 1) < 0) {
            String pool = key.element(QorbConfiguration.POOL_NAME_INDEX);
            return new QorbConfigurationException(key.written(), key.origin(), problem,
                    "A pool name cannot contain a dot: if '" + pool + "." + element + "' is the name of one pool,"
                            + " rename it '" + ValueProblems.kebab(pool + "-" + element) + "' ("
                            + QorbConfiguration.POOL_NAME_RULE + ").", null);
        }
        String meant = closest(parent, name, mismatch);
        return new QorbConfigurationException(key.written(), key.origin(), problem, meant != null
                ? "Did you mean " + known + "." + meant + "?"
                : "Use one of the keys under " + known + ": " + parent.keys().stream().map(PropertyTree.Key::name)
                        .collect(Collectors.joining(", ")) + " (see the qorb property reference in the README).",
                null);
    }

    /** A value given to a key that holds keys ({@code resolver.fixed: 127.0.0.1:7001}), which Spring Boot would ignore. */
    static QorbConfigurationException valueOnGroup(WrittenKey key) {
        PropertyTree group = QorbConfiguration.TREE.at(key.name(), 1, key.name().getNumberOfElements());
        return new QorbConfigurationException(key.written(), key.origin(), key.written()
                + " is a group of keys, not a value", "Set one of the keys under it: " + group.keys().stream()
                        .map(k -> key.written() + "." + k.name()).collect(Collectors.joining(", ")) + ".", null);
    }

    /**
     * The path below {@code parent} closest to what the user wrote from element {@code from}:
     * element by element, or as the end of a longer path; {@code null} when none is close.
     */
    private static String closest(PropertyTree parent, ConfigurationPropertyName name, int from) {
        List<String> written = new ArrayList<>();
        for (int i = from; i < name.getNumberOfElements(); i++) {
            if (!name.isNumericIndex(i)) {
                written.add(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String path : parent.paths()) {
            String[] candidate = path.split("\\.");
            if (candidate.length < written.size()) {
                continue;
            }
            int skipped = candidate.length - written.size();
            int distance = skipped; // each parent the user left out counts as one edit
            for (int i = 0; i < written.size(); i++) {
                String expected = candidate[skipped + i];
                distance += expected.equals("*") ? 0 : distance(PropertyTree.uniform(expected), written.get(i));
            }
            if (distance < bestDistance) {
                bestDistance = distance;
                best = fill(candidate, name, from, skipped);
            }
        }
        int length = String.join("", written).length();
        return bestDistance <= Math.max(2, length / 4) ? best : null;
    }

    /** The candidate path with each {@code *} (a map entry) replaced by the name the user wrote there. */
    private static String fill(String[] candidate, ConfigurationPropertyName name, int from, int skipped) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < candidate.length; i++) {
            int at = from + i - skipped;
            parts.add(candidate[i].equals("*") && at >= from && at < name.getNumberOfElements()
                    ? name.getElement(at, ConfigurationPropertyName.Form.ORIGINAL) : candidate[i]);
        }
        return String.join(".", parts);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
