package dev.qorb.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qorb.Backend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FixedResolverTest {

    @Test
    void reportsEveryAddressOnceNamedByIt() {
        AtomicReference<Map<String, Backend>> reported = new AtomicReference<>();
        FixedResolver.parse(List.of("127.0.0.1:7001", "[::1]:7002", "127.0.0.1:7001")).start(reported::set);
        assertThat(reported.get()).containsOnlyKeys("127.0.0.1:7001", "[0:0:0:0:0:0:0:1]:7002");
        assertThat(reported.get().get("127.0.0.1:7001").address().getPort()).isEqualTo(7001);
    }

    @Test
    void badAddressesAreRejectedSayingWhatIsWrong() {
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1")).hasMessage(
                "invalid address '127.0.0.1': the port is missing; expected host:port such as 127.0.0.1:7001");
        assertThatThrownBy(() -> HostPort.parse("::1:80")).hasMessage(
                "invalid address '::1:80': an IPv6 address must be in brackets, such as [::1]:7001");
        assertThatThrownBy(() -> HostPort.parse("[::1]80")).hasMessage(
                "invalid address '[::1]80': an IPv6 address needs the form [address]:port, such as [::1]:7001");
        assertThatThrownBy(() -> HostPort.parse("host:http")).hasMessage(
                "invalid address 'host:http': the port 'http' is not a number");
        assertThatThrownBy(() -> HostPort.parse("host:70000")).hasMessage(
                "invalid address 'host:70000': the port 70000 is outside 1 to 65535");
        assertThatThrownBy(() -> HostPort.parse(":80")).hasMessage(
                "invalid address ':80': the host is missing; expected host:port such as 127.0.0.1:7001");
        assertThatThrownBy(() -> HostPort.parse(" ")).hasMessageStartingWith("address must not be empty");
        assertThatThrownBy(() -> new FixedResolver(List.of())).hasMessage("a FixedResolver needs at least one backend");
    }

    @Test
    void anIpv6LiteralKeepsItsBrackets() {
        assertThat(HostPort.parse("[::1]:7001")).isEqualTo(new HostPort("::1", 7001));
        assertThat(HostPort.parse("[::1]:7001").toString()).isEqualTo("[::1]:7001");
        assertThat(Backend.of("::1", 7001).toString()).isEqualTo("[0:0:0:0:0:0:0:1]:7001");
    }
}
