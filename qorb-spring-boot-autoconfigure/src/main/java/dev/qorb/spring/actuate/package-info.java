/**
 * What operators see of qorb through Spring Boot's actuator: the health of each pool and the
 * {@code qorb} endpoint with its write operations. Text qorb did not write (connectors' errors,
 * resolvers' descriptions) is sanitized before it is shown.
 */
package dev.qorb.spring.actuate;
