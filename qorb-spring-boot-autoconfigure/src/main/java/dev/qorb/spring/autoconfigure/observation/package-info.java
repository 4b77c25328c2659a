/** Wires an Observation around each claim when an ObservationRegistry is present. */
package dev.qorb.spring.autoconfigure.observation;
