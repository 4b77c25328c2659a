/**
 * Wires the qorb health contributor when Spring Boot's health support is present and pools are
 * configured, with its place in the readiness group and the DEGRADED status in the status order.
 */
package dev.qorb.spring.autoconfigure.health;
