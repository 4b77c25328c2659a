package dev.qorb.spring.autoconfigure.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code qorb.pools.<name>.jdbc.*}: a pool of JDBC connections that qorb opens itself (no
 * Connector bean needed), lent through a {@code DataSource} bean injectable with
 * {@code @QorbClient("<name>") DataSource}.
 */
public class QorbJdbcProperties {

    /** JDBC URL with {host} and {port} where each backend's address goes, e.g. jdbc:postgresql://{host}:{port}/orders. */
    private String urlTemplate;

    /** Database user. */
    private String username;

    /** Database user's password. */
    private String password;

    /** JDBC driver properties, e.g. socketTimeout or sslmode for PostgreSQL. */
    private Map<String, String> properties = new LinkedHashMap<>();

    /** Whether every connection is set read-only and reset to read-only: for a pool of read replicas. */
    private boolean readOnly;

    /** Whether the pool's DataSource is the application's: JdbcTemplate, JPA and Flyway use it, and Spring Boot's own DataSource backs off. */
    private boolean primary;

    /** Whether any JDBC property is set. */
    boolean configured() {
        return urlTemplate != null || username != null || password != null || !properties.isEmpty() || readOnly
                || primary;
    }

    public String getUrlTemplate() {
        return urlTemplate;
    }

    public void setUrlTemplate(String urlTemplate) {
        this.urlTemplate = urlTemplate;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Map<String, String> getProperties() {
        return properties;
    }

    public void setProperties(Map<String, String> properties) {
        this.properties = properties;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    public boolean isPrimary() {
        return primary;
    }

    public void setPrimary(boolean primary) {
        this.primary = primary;
    }
}
