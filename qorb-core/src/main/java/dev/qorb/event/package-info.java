/**
 * JFR events at qorb's probe points, free when no recording is on. All are in the category
 * "qorb"; the pool's events carry the pool's name and, where one is involved, the backend:
 *
 * <ul>
 *   <li>{@code dev.qorb.Claim}: one claim, from call to handle (its duration is the wait), with its outcome;
 *       by default only claims that waited 10 ms or more;
 *   <li>{@code dev.qorb.Release}: a handle given back or invalidated, with how long it was held; off
 *       unless a recording enables it;
 *   <li>{@code dev.qorb.Connect}: one connect attempt, with success or the error;
 *   <li>{@code dev.qorb.HealthCheck}: one {@code isValid} on an idle connection;
 *   <li>{@code dev.qorb.Recycle}: one {@code onRecycle} of a returned connection; by default only those
 *       that took 10 ms or more;
 *   <li>{@code dev.qorb.Rebalance}: one rebalance, with slot counts before and after;
 *   <li>{@code dev.qorb.SlotStateChange}: a slot moving between states off the claim path
 *       (connecting, connected, checking, terminated; claim and release have their own events);
 *   <li>{@code dev.qorb.BackendStateChange}: a backend going online or offline;
 *   <li>{@code dev.qorb.DnsLookup}: one lookup of a DNS resolver (its duration is the lookup's), with the
 *       name, the outcome ({@code ANSWERED}, {@code EMPTY}, {@code ERROR}, {@code TIMEOUT}), the server
 *       and the backends reported; it names no pool, since a resolver does not know its pool.
 * </ul>
 *
 * <p>Record them with {@code jcmd <pid> JFR.start settings=profile} or, for these alone,
 * a JFC file enabling {@code dev.qorb.*}.
 */
package dev.qorb.event;
