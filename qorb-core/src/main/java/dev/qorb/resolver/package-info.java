/**
 * The Resolver SPI: finds a service's backends and reports the whole set each time it
 * changes. {@link dev.qorb.resolver.FixedResolver} serves a static list.
 */
package dev.qorb.resolver;
