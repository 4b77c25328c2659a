/** A Micrometer Observation around each claim. */
package dev.qorb.spring.observation;
