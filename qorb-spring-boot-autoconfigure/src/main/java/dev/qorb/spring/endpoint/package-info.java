/** The {@code qorb} actuator endpoint: pools, backends and resolvers, and an operator's write operations. */
package dev.qorb.spring.endpoint;
