/** Micrometer metrics of qorb pools, named and tagged as listed in the README. */
package dev.qorb.spring.metrics;
