/**
 * The API users type: {@link dev.qorb.Pool}, {@link dev.qorb.Handle}, {@link dev.qorb.Backend},
 * {@link dev.qorb.Policy}, {@link dev.qorb.PoolState}, {@link dev.qorb.ClaimException} and the
 * statistics records.
 */
package dev.qorb;
