/**
 * JMH benchmarks of qorb's claim path beside the best JVM pools, all sized 16 and handing out
 * trivial in-memory objects so that the pools themselves are measured. See BENCHMARKS.md.
 */
package dev.qorb.benchmarks;
