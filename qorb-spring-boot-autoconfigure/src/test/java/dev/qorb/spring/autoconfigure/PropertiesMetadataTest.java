package dev.qorb.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.qorb.Policy;
import dev.qorb.dns.DnsResolverConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/**
 * The IDE metadata describes every key qorb binds, {@code qorb.pools.*.} keys included; the
 * defaults written in the properties classes are qorb-core's.
 */
class PropertiesMetadataTest {

    private static final Map<String, Map<String, Object>> PROPERTIES = new LinkedHashMap<>();
    private static final Map<String, Map<String, Object>> GROUPS = new LinkedHashMap<>();

    static {
        // This module's metadata: generated from the properties classes, merged with the hand-written part.
        URL classes = QorbProperties.class.getProtectionDomain().getCodeSource().getLocation();
        try (InputStream in = new URL(classes, "META-INF/spring-configuration-metadata.json").openStream()) {
            Object json = JsonPath.parse(in).json();
            JsonPath.<List<Map<String, Object>>>read(json, "$.properties[*]")
                    .forEach(p -> PROPERTIES.put((String) p.get("name"), p));
            JsonPath.<List<Map<String, Object>>>read(json, "$.groups[*]")
                    .forEach(g -> GROUPS.put((String) g.get("name"), g));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A map of values ({@code jdbc.properties.*}) is described as the map, {@code jdbc.properties}. */
    private static String metadataName(String path) {
        return path.endsWith(".*") ? path.substring(0, path.length() - 2) : path;
    }

    @Test
    void everyBindableKeyHasADescription() {
        List<String> keys = QorbConfiguration.TREE.paths().stream().map(path -> metadataName("qorb." + path))
                .toList();
        assertThat(keys).contains("qorb.pools.*.resolver.fixed.addresses", "qorb.defaults.backend.max-slots",
                "qorb.health.startup-grace");
        assertThat(keys).allSatisfy(key -> assertThat(PROPERTIES.get(key)).as("metadata of %s", key).isNotNull()
                .extractingByKey("description").asString().isNotBlank());
        assertThat(PROPERTIES.get("management.health.qorb.enabled")).isNotNull()
                .containsEntry("defaultValue", true).extractingByKey("description").asString().isNotBlank();
    }

    @Test
    void everyGroupHasADescription() {
        assertThat(GROUPS.keySet()).filteredOn(name -> name.startsWith("qorb") || name.endsWith(".qorb"))
                .isNotEmpty().allSatisfy(name -> assertThat(GROUPS.get(name).get("description"))
                        .as("description of group %s", name).asString().isNotBlank());
    }

    /** The pool keys are written by hand beside the generated defaults keys: they must say the same. */
    @Test
    void eachPoolKeySaysWhatItsDefaultsKeySays() {
        QorbConfiguration.TREE.paths().stream().filter(path -> path.startsWith("pools.*.")).forEach(path -> {
            Map<String, Object> pool = PROPERTIES.get(metadataName("qorb." + path));
            Map<String, Object> defaults = PROPERTIES.get(
                    metadataName("qorb.defaults." + path.substring("pools.*.".length())));
            assertThat(pool).as(path).containsEntry("description", defaults.get("description"))
                    .containsEntry("type", defaults.get("type"));
            assertThat(pool.get("defaultValue")).as("default of %s", path).isEqualTo(defaults.get("defaultValue"));
        });
    }

    @Test
    void theKeysThatNameBackendsAreMarkedAsNotDefaultable() {
        for (String key : List.of("resolver.fixed.addresses", "resolver.dns.service", "resolver.dns.host",
                "resolver.dns.port", "resolver.bean")) {
            assertThat(PROPERTIES.get("qorb.defaults." + key)).as(key).extractingByKey("deprecation")
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("level", "error")
                    .containsEntry("replacement", "qorb.pools.*." + key);
        }
    }

    @Test
    void thePropertiesDefaultsAreQorbCoresDefaults() {
        PoolSettings defaults = new PoolSettings("orders", new QorbPoolProperties(), Map.of(), Map.of());
        assertThat(defaults.policy()).isEqualTo(Policy.defaults());

        QorbPoolProperties dns = new QorbPoolProperties();
        dns.getResolver().getDns().setService("_pg._tcp.db.example");
        DnsResolverConfig fromProperties = new ResolverSettings(new PoolSettings("orders", dns, Map.of(), Map.of()))
                .dnsConfig();
        assertThat(fromProperties).isEqualTo(DnsResolverConfig.srv("_pg._tcp.db.example").build());
    }

    /** What the IDE shows as the default of the newer policy keys is the core's default, and their metadata says how to turn them off. */
    @Test
    void theMetadataDefaultsOfThePolicyKnobsAreQorbCoresDefaults() {
        Policy core = Policy.defaults();
        assertThat(PROPERTIES.get("qorb.defaults.max-connector-calls").get("defaultValue"))
                .isEqualTo(core.maxConnectorCalls());
        assertThat(PROPERTIES.get("qorb.defaults.backend.eject-after-failures").get("defaultValue"))
                .isEqualTo(core.backend().ejectAfterFailures());
        assertThat(metadataDuration("backend.idle-timeout")).isEqualTo(core.backend().idleTimeout());
        assertThat(metadataDuration("backend.max-lifetime")).isEqualTo(core.backend().maxLifetime().orElseThrow());
        assertThat(metadataDuration("backend.alive-bypass-window"))
                .isEqualTo(core.backend().aliveBypassWindow().orElseThrow());
        assertThat(PROPERTIES.get("qorb.defaults.decoherence-interval")).doesNotContainKey("defaultValue");
        assertThat(core.decoherenceInterval()).isEmpty();
        for (String off : List.of("decoherence-interval", "backend.max-lifetime", "backend.alive-bypass-window",
                "backend.eject-after-failures", "backend.health-interval")) {
            assertThat(PROPERTIES.get("qorb.defaults." + off).get("description")).as(off).asString()
                    .containsPattern("0 for (never|forever)");
        }
    }

    private static Duration metadataDuration(String path) {
        return DurationStyle.detectAndParse((String) PROPERTIES.get("qorb.defaults." + path).get("defaultValue"));
    }

    @Test
    void thePolicyKnobsReachThePolicyAndZeroTurnsThemOff() {
        QorbPoolProperties set = new QorbPoolProperties();
        set.setMaxConnectorCalls(2);
        set.setDecoherenceInterval(Duration.ofMinutes(5));
        set.getBackend().setMaxLifetime(Duration.ofMinutes(20));
        set.getBackend().setIdleTimeout(Duration.ofMinutes(3));
        set.getBackend().setEjectAfterFailures(7);
        set.getBackend().setAliveBypassWindow(Duration.ofSeconds(1));
        assertThat(new PoolSettings("orders", set, Map.of(), Map.of()).policy()).isEqualTo(Policy.builder()
                .maxConnectorCalls(2).decoherenceInterval(Duration.ofMinutes(5))
                .backend(b -> b.maxLifetime(Duration.ofMinutes(20)).idleTimeout(Duration.ofMinutes(3))
                        .ejectAfterFailures(7).aliveBypassWindow(Duration.ofSeconds(1)))
                .build());

        QorbPoolProperties off = new QorbPoolProperties();
        off.setLeakDetectionThreshold(Duration.ZERO);
        off.setDecoherenceInterval(Duration.ZERO);
        off.getBackend().setHealthInterval(Duration.ZERO);
        off.getBackend().setMaxLifetime(Duration.ZERO);
        off.getBackend().setAliveBypassWindow(Duration.ZERO);
        off.getBackend().setEjectAfterFailures(0);
        assertThat(new PoolSettings("orders", off, Map.of(), Map.of()).policy()).isEqualTo(Policy.builder()
                .backend(b -> b.noHealthChecks().noMaxLifetime().noAliveCheck().ejectAfterFailures(0)).build());
    }
}
