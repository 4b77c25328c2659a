/**
 * JDBC over qorb: {@link dev.qorb.jdbc.JdbcConnector} opens, checks and resets connections of
 * any JDBC driver to each backend the pool's resolver finds, and
 * {@link dev.qorb.jdbc.QorbDataSource} lends them as a {@link javax.sql.DataSource}.
 */
package dev.qorb.jdbc;
