/**
 * Wiring of JDBC pools: {@code qorb.pools.<name>.jdbc.*} to a {@code JdbcConnector} and a
 * {@code DataSource} per pool, one of which may be the application's.
 */
package dev.qorb.spring.autoconfigure.jdbc;
