/** Wires the qorb health contributor when Spring Boot's health support is present. */
package dev.qorb.spring.autoconfigure.health;
