package dev.qorb.dns;

import dev.qorb.Backend;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * How one resolver looks its backends up, a round at a time: more DNS servers through server
 * discovery first (when configured), then the SRV records with their targets' AAAA and A
 * records, or the addresses of a plain host name. Addresses in an answer's additional section
 * are used for the families they cover, and asked for otherwise (servers trim that section).
 *
 * <p>Thread-safety: a round's continuations run on the resolver's one executor thread, where
 * dnsjava completes its queries; rounds do not overlap. Each part of a round is immutable.
 */
final class BackendLookup {

    private static final Logger log = LoggerFactory.getLogger(BackendLookup.class);

    /**
     * One backend a round found.
     *
     * @param family the lookup it came from, {@code target type}: its record is kept when
     *     that lookup fails in a later round
     * @param ttlSeconds its TTL (the lesser of the SRV's and the address record's)
     */
    record Found(Backend backend, String family, long ttlSeconds) {
    }

    /**
     * What a round, or a part of one, found.
     *
     * @param failedFamilies the address lookups ({@code target type}) that failed
     * @param failures why queries failed
     * @param negativeTtlSeconds the least negative TTL of the empty answers, or -1
     * @param server the server whose answer was used first, or {@code null}
     */
    record Round(List<Found> found, Set<String> failedFamilies, List<DnsFailure> failures, long negativeTtlSeconds,
            String server) {

        static Round failed(DnsFailure failure, String family) {
            return new Round(List.of(), family == null ? Set.of() : Set.of(family), List.of(failure), -1, null);
        }

        static Round merge(List<Round> parts) {
            List<Found> found = new ArrayList<>();
            Set<String> failedFamilies = new HashSet<>();
            List<DnsFailure> failures = new ArrayList<>();
            long negativeTtl = -1;
            String server = null;
            for (Round part : parts) {
                found.addAll(part.found());
                failedFamilies.addAll(part.failedFamilies());
                failures.addAll(part.failures());
                if (part.negativeTtlSeconds() >= 0) {
                    negativeTtl = negativeTtl < 0 ? part.negativeTtlSeconds()
                            : Math.min(negativeTtl, part.negativeTtlSeconds());
                }
                server = server != null ? server : part.server();
            }
            return new Round(found, failedFamilies, failures, negativeTtl, server);
        }

        /** The round failed when it found nothing and a query failed: then nothing it saw is to be believed. */
        Optional<DnsFailure> failure() {
            return found.isEmpty() && !failures.isEmpty() ? Optional.of(DnsFailure.of(failures)) : Optional.empty();
        }

        LookupOutcome outcome() {
            Optional<DnsFailure> failure = failure();
            if (failure.isPresent()) {
                return failure.get().timeout ? LookupOutcome.TIMEOUT : LookupOutcome.ERROR;
            }
            return found.isEmpty() ? LookupOutcome.EMPTY : LookupOutcome.ANSWERED;
        }

        /** Which server answered, or which failed. */
        String servers() {
            return failure().map(f -> f.servers).orElse(server == null ? "" : server);
        }
    }

    private final DnsResolverConfig config;
    private final Name name;
    private final Optional<Name> discoveryName;
    private final DnsServers servers;
    private final OutageLog discoveryOutage;

    BackendLookup(DnsResolverConfig config, Name name, Optional<Name> discoveryName, DnsServers servers,
            String resolver) {
        this.config = config;
        this.name = name;
        this.discoveryName = discoveryName;
        this.servers = servers;
        this.discoveryOutage = new OutageLog(log, resolver + ": lookups of more DNS servers through "
                + discoveryName.map(Name::toString).orElse(""));
    }

    /** One round; it never completes exceptionally (failures are in the round). */
    CompletableFuture<Round> run(long startNanos) {
        CompletableFuture<Void> discovered = discoverServers(startNanos);
        return discovered.thenCompose(ignored -> config.srvMode() ? lookupSrv() : lookupHost())
                .exceptionally(error -> Round.failed(DnsServers.asFailure(error), null));
    }

    private CompletableFuture<Void> discoverServers(long startNanos) {
        if (discoveryName.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return servers.query(discoveryName.get(), Type.SRV).thenCompose(answer -> {
            List<CompletableFuture<Round>> targets = new ArrayList<>();
            for (Record record : answer.records()) {
                SRVRecord srv = (SRVRecord) record;
                targets.add(addresses(srv.getTarget(), srv.getPort(), 0, 1, srv.getTTL(), answer.additional()));
            }
            return merge(targets);
        }).handle((round, error) -> {
            Optional<DnsFailure> failure = error != null ? Optional.of(DnsServers.asFailure(error)) : round.failure();
            if (failure.isPresent()) {
                discoveryOutage.failed(startNanos, failure.get().getMessage(),
                        "asking the " + servers.all().size() + " servers known");
            } else {
                discoveryOutage.succeeded(startNanos);
                servers.discovered(round.found().stream().map(f -> f.backend().address()).toList());
            }
            return null;
        });
    }

    private CompletableFuture<Round> lookupSrv() {
        return servers.query(name, Type.SRV).thenCompose(answer -> {
            List<CompletableFuture<Round>> parts = new ArrayList<>();
            parts.add(CompletableFuture.completedFuture(
                    new Round(List.of(), Set.of(), List.of(), answer.negativeTtlSeconds(), answer.server())));
            for (Record record : answer.records()) {
                SRVRecord srv = (SRVRecord) record;
                if (srv.getTarget().equals(Name.root) || srv.getPort() == 0) {
                    continue; // "." means the service is decidedly not available there (RFC 2782)
                }
                parts.add(addresses(srv.getTarget(), srv.getPort(), srv.getPriority(), srv.getWeight(), srv.getTTL(),
                        answer.additional()));
            }
            return merge(parts);
        });
    }

    private CompletableFuture<Round> lookupHost() {
        return addresses(name, config.port(), 0, 1, Long.MAX_VALUE, List.of());
    }

    /**
     * The addresses of {@code target} for the configured families: from {@code additional}
     * for a family it covers, else asked for. A failed address query fails only that family
     * of that target.
     */
    private CompletableFuture<Round> addresses(Name target, int port, int priority, int weight, long parentTtl,
            List<Record> additional) {
        List<CompletableFuture<Round>> families = new ArrayList<>();
        for (int type : types()) {
            String family = target + " " + Type.string(type);
            List<Record> hinted = additional.stream()
                    .filter(r -> r.getType() == type && r.getName().equals(target)).toList();
            CompletableFuture<DnsServers.Answer> answer = hinted.isEmpty() ? servers.query(target, type)
                    : CompletableFuture.completedFuture(new DnsServers.Answer(hinted, List.of(), null, -1));
            families.add(answer.handle((found, error) -> {
                if (error != null) {
                    DnsFailure failure = DnsServers.asFailure(error);
                    log.debug("{} failed: {}", family, failure.getMessage());
                    return Round.failed(failure, family);
                }
                List<Found> backends = new ArrayList<>();
                for (Record record : found.records()) {
                    InetSocketAddress address = new InetSocketAddress(withoutName(record), port);
                    backends.add(new Found(new Backend(target.toString(true) + "/" + DnsResolver.format(address),
                            address, priority, weight), family, Math.min(parentTtl, record.getTTL())));
                }
                return new Round(backends, Set.of(), List.of(), found.negativeTtlSeconds(), found.server());
            }));
        }
        return merge(families);
    }

    private int[] types() {
        return switch (config.family()) {
            case BOTH -> new int[] {Type.AAAA, Type.A};
            case IPV6_ONLY -> new int[] {Type.AAAA};
            case IPV4_ONLY -> new int[] {Type.A};
        };
    }

    /** dnsjava's addresses carry the owner name; a backend's address is the bare IP. */
    private static InetAddress withoutName(Record record) {
        InetAddress address = record instanceof AAAARecord aaaa ? aaaa.getAddress() : ((ARecord) record).getAddress();
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an A or AAAA record with an address of the wrong length", e);
        }
    }

    private static CompletableFuture<Round> merge(List<CompletableFuture<Round>> parts) {
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> Round.merge(parts.stream().map(CompletableFuture::join).toList()));
    }
}
