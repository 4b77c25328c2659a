/** Wires qorb's Micrometer metrics when Micrometer is present. */
package dev.qorb.spring.autoconfigure.metrics;
