/**
 * Service discovery over DNS with dnsjava: {@link dev.qorb.dns.DnsResolver} follows SRV
 * records (with their targets' AAAA and A records) or the addresses of a plain host name,
 * and {@link dev.qorb.dns.ServiceAddresses} turns user input into the right resolver.
 * The lookup machinery is package-private.
 */
package dev.qorb.dns;
