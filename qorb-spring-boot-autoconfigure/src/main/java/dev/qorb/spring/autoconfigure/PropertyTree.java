package dev.qorb.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.ResolvableType;

/**
 * The keys a properties class binds, read from the class itself as Spring Boot's JavaBean
 * binder sees it: a group per nested class, a value per scalar with a setter, a list, or a map
 * of named entries. A key no class binds is found however deep it is, and a group added to the
 * classes (a pool's {@code jdbc} settings, say) is known without more code.
 */
final class PropertyTree {

    enum Kind { VALUE, LIST, MAP, GROUP }

    /** A key of a group, in the dashed form users write, and what it holds. */
    record Key(String name, PropertyTree tree) {
    }

    private static final PropertyTree VALUE = new PropertyTree(Kind.VALUE, Map.of(), null);
    private static final PropertyTree LIST = new PropertyTree(Kind.LIST, Map.of(), null);

    private final Kind kind;
    /** A group's keys by uniform name (lower case, no dashes), in declaration order. */
    private final Map<String, Key> keys;
    /** A map's entries. */
    private final PropertyTree entries;

    private PropertyTree(Kind kind, Map<String, Key> keys, PropertyTree entries) {
        this.kind = kind;
        this.keys = keys;
        this.entries = entries;
    }

    static PropertyTree of(Class<?> type) {
        Map<String, Key> keys = new LinkedHashMap<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
            Method getter = property.getReadMethod();
            if (getter == null || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            PropertyTree tree = of(ResolvableType.forMethodReturnType(getter));
            // A value needs a setter; a group or a map is bound into the instance its getter returns.
            if (property.getWriteMethod() != null || tree.kind == Kind.GROUP || tree.kind == Kind.MAP) {
                String name = DataObjectPropertyName.toDashedForm(property.getName());
                keys.put(uniform(name), new Key(name, tree));
            }
        }
        return new PropertyTree(Kind.GROUP, Collections.unmodifiableMap(keys), null);
    }

    private static PropertyTree of(ResolvableType type) {
        Class<?> raw = type.resolve(Object.class);
        if (Map.class.isAssignableFrom(raw)) {
            return new PropertyTree(Kind.MAP, Map.of(), of(type.asMap().getGeneric(1)));
        }
        if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            return LIST;
        }
        if (raw.isPrimitive() || raw.isEnum() || raw.getName().startsWith("java.")) {
            return VALUE;
        }
        return of(raw);
    }

    /** Lower case without dashes: how Spring Boot compares the elements of property names. */
    static String uniform(String element) {
        return element.replace("-", "").toLowerCase(Locale.ROOT);
    }

    Kind kind() {
        return kind;
    }

    /** A group's keys, in declaration order. */
    Collection<Key> keys() {
        return keys.values();
    }

    /** A map's entries. */
    PropertyTree entries() {
        return entries;
    }

    /** The key of this group named by {@code element} (any form), or {@code null}. */
    Key key(String element) {
        return keys.get(uniform(element));
    }

    /**
     * Follows {@code name} from its element {@code from} down this tree.
     *
     * @return the index of the first element that names nothing, or -1 when the whole name is bound
     */
    int mismatch(ConfigurationPropertyName name, int from) {
        int elements = name.getNumberOfElements();
        switch (kind) {
            case VALUE -> {
                return from < elements ? from : -1;
            }
            case LIST -> {
                int next = from < elements && name.isNumericIndex(from) ? from + 1 : from;
                return next < elements ? next : -1;
            }
            case MAP -> {
                // A map of values takes keys of any depth (Spring Boot binds a.b as the key "a.b").
                if (from >= elements || entries.kind != Kind.GROUP) {
                    return -1;
                }
                return entries.mismatch(name, from + 1);
            }
            default -> {
                if (from >= elements) {
                    return -1;
                }
                Key key = keys.get(name.getElement(from, ConfigurationPropertyName.Form.UNIFORM));
                return key == null ? from : key.tree.mismatch(name, from + 1);
            }
        }
    }

    /** The subtree {@code name}'s elements {@code from} to {@code to} (exclusive) lead to; they must match. */
    PropertyTree at(ConfigurationPropertyName name, int from, int to) {
        PropertyTree tree = this;
        for (int i = from; i < to; i++) {
            tree = switch (tree.kind) {
                case GROUP -> tree.key(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM)).tree;
                case MAP -> tree.entries;
                default -> tree;
            };
        }
        return tree;
    }

    /**
     * Every key that can be set below this tree, dotted and dashed ({@code resolver.fixed.addresses});
     * a map's entry name is {@code *}.
     */
    List<String> paths() {
        List<String> paths = new ArrayList<>();
        collect("", paths);
        return paths;
    }

    private void collect(String prefix, List<String> paths) {
        switch (kind) {
            case GROUP -> keys.values().forEach(key -> key.tree.collect(prefix + key.name + ".", paths));
            case MAP -> entries.collect(prefix + "*.", paths);
            default -> paths.add(prefix.substring(0, prefix.length() - 1));
        }
    }
}
