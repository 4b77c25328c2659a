/**
 * JMH benchmarks of {@link dev.qorb.jdbc.QorbDataSource} beside HikariCP, both over the same
 * local PostgreSQL server, started for the run. See BENCHMARKS.md.
 */
package dev.qorb.benchmarks.jdbc;
