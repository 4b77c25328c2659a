package dev.qorb.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.qorb.dns.DnsResolver;
import dev.qorb.dns.TestDnsServer;
import dev.qorb.jdbc.QorbDataSource;
import dev.qorb.jdbc.testing.PostgresExtension;
import dev.qorb.jdbc.testing.PostgresServer;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * A real Spring Boot application whose only DataSource is a qorb pool over a real PostgreSQL
 * server found through DNS SRV records, configured in application-qorb-jdbc-it.yml alone:
 * Flyway migrates through it, Boot's JdbcTemplate reads through it, and no actuator output
 * shows its password.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("qorb-jdbc-it")
@DirtiesContext
class QorbJdbcIntegrationTest {

    private static final String PASSWORD = "not-in-any-output";

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension(1);

    private static TestDnsServer dns;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @DynamicPropertySource
    static void dnsServer(DynamicPropertyRegistry registry) throws Exception {
        PostgresServer server = postgres.get(1);
        server.execute("CREATE DATABASE orders");
        dns = new TestDnsServer();
        dns.srv("_pg._tcp", 0, 1, server.port(), "pg1", 60).host("pg1", "127.0.0.1", 60);
        registry.add("qorb-it.dns-server", () -> "127.0.0.1:" + dns.address().getPort());
    }

    @AfterAll
    static void stopDns() {
        dns.close();
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbcTemplate;

    @LocalServerPort
    int port;

    @Test
    void flywayAndJdbcTemplateRunOnTheQorbDataSource() throws SQLException {
        assertThat(context.getBeansOfType(DataSource.class)).containsOnlyKeys("qorbDataSource.orders");
        QorbDataSource dataSource = (QorbDataSource) jdbcTemplate.getDataSource();
        assertThat(dataSource.pool().resolver()).isInstanceOf(DnsResolver.class);

        assertThat(jdbcTemplate.queryForList("SELECT item FROM orders ORDER BY id", String.class))
                .containsExactly("tea", "bread", "soap");
        assertThat(jdbcTemplate.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success",
                Integer.class)).isEqualTo(1);
        assertThat(jdbcTemplate.queryForObject("SELECT current_setting('application_name')", String.class))
                .isEqualTo("qorb-jdbc-it");
        assertThat(postgres.get(1).queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = 'orders'"
                + " AND application_name = 'qorb-jdbc-it'")).as("connections of the pool").isPositive();
    }

    @Test
    void bootsDatabaseHealthUsesItAndNoActuatorOutputShowsThePassword() {
        RestClient http = RestClient.create("http://127.0.0.1:" + port);
        String health = http.get().uri("/actuator/health").retrieve().body(String.class);
        assertThat((String) JsonPath.read(health, "$.components.db.status")).isEqualTo("UP");
        assertThat((String) JsonPath.read(health, "$.components.qorb.status")).isEqualTo("UP");
        for (String endpoint : List.of("/actuator/health", "/actuator/configprops", "/actuator/env",
                "/actuator/qorb")) {
            assertThat(http.get().uri(endpoint).retrieve().body(String.class)).as(endpoint).doesNotContain(PASSWORD);
        }
    }
}
