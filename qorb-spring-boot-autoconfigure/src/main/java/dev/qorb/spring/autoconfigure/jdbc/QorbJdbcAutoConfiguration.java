package dev.qorb.spring.autoconfigure.jdbc;

import dev.qorb.Pool;
import dev.qorb.spring.autoconfigure.ConditionalOnQorbEnabled;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Import;

/**
 * JDBC pools from {@code qorb.pools.<name>.jdbc.*}: each pool's {@code JdbcConnector} and its
 * {@code DataSource} (see {@link QorbJdbcRegistrar}). Before Spring Boot's DataSource
 * auto-configuration, so that it backs off when a qorb DataSource is primary.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(Pool.class)
@ConditionalOnQorbEnabled
@Import(QorbJdbcRegistrar.class)
public final class QorbJdbcAutoConfiguration {
}
