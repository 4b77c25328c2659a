package dev.qorb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UrlTemplateTest {

    @Test
    void eachBackendsAddressGoesInPlaceOfHostAndPort() throws Exception {
        UrlTemplate template = new UrlTemplate("jdbc:postgresql://{host}:{port}/orders?sslmode=disable");

        assertThat(template.expand(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 6432)))
                .isEqualTo("jdbc:postgresql://127.0.0.2:6432/orders?sslmode=disable");
        assertThat(template.expand(new InetSocketAddress(InetAddress.getByName("::1"), 5432)))
                .isEqualTo("jdbc:postgresql://[0:0:0:0:0:0:0:1]:5432/orders?sslmode=disable");
        assertThat(template.subprotocol()).isEqualTo("postgresql");
    }

    @Test
    void aTemplateWithoutHostOrPortIsRefusedWithAnExample() {
        assertThatThrownBy(() -> new UrlTemplate("jdbc:postgresql://db.example:{port}/orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no {host}")
                .hasMessageContaining("jdbc:postgresql://{host}:{port}/orders");
        assertThatThrownBy(() -> new UrlTemplate("jdbc:postgresql://{host}/orders"))
                .hasMessageContaining("has no {port}");
    }

    @Test
    void anythingButAJdbcUrlOrAnUnknownPlaceholderIsRefused() {
        assertThatThrownBy(() -> new UrlTemplate("postgresql://{host}:{port}/orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a JDBC URL: it must start with jdbc:");
        assertThatThrownBy(() -> new UrlTemplate("jdbc:postgresql://{hostname}:{port}/orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has the placeholder {hostname}; only {host} and {port} are replaced");
    }
}
