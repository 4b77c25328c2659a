/** Wires the {@code qorb} actuator endpoint when it is enabled and exposed. */
package dev.qorb.spring.autoconfigure.endpoint;
