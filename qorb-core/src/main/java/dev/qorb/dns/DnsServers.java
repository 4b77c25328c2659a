package dev.qorb.dns;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The DNS servers one resolver asks, each with its own counts, and the query that asks them
 * concurrently: the first answer with records wins; an empty answer is believed only when no
 * server has records; only when every server failed does the query fail.
 *
 * <p>Each query is bounded by the query timeout on the given executor, to the millisecond:
 * dnsjava checks its own timeouts only when its selector thread wakes up, about once a second
 * unless {@code dnsjava.nio.selector_timeout} is set before its first query.
 *
 * <p>Thread-safety: the server lists are replaced whole (volatile); counters are atomic.
 * Queries use dnsjava's async API completing on the executor given, and no cache.
 */
final class DnsServers {

    private static final Logger log = LoggerFactory.getLogger(DnsServers.class);

    /** One server and what it did. */
    static final class Server {
        final InetSocketAddress address;
        final String label;
        final SimpleResolver resolver;
        final AtomicLong answers = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        volatile Instant lastAnswer;
        volatile String lastError;

        Server(InetSocketAddress address, Duration timeout) {
            this.address = address;
            this.label = DnsResolver.format(address);
            this.resolver = new SimpleResolver(address);
            this.resolver.setTimeout(timeout);
        }

        long failures() {
            return errors.get() + timeouts.get();
        }

        DnsResolver.ServerStatus status() {
            return new DnsResolver.ServerStatus(label, answers.get(), errors.get(), timeouts.get(),
                    Optional.ofNullable(lastAnswer), Optional.ofNullable(lastError));
        }
    }

    /**
     * What one query found: records of the type asked, the additional section as a hint, the
     * server that answered, and for an empty answer its negative TTL (RFC 2308), or -1.
     */
    record Answer(List<Record> records, List<Record> additional, String server, long negativeTtlSeconds) {
        boolean empty() {
            return records.isEmpty();
        }
    }

    private final Duration timeout;
    private final ScheduledExecutorService executor;
    private final int maxConcurrency;
    private final List<Server> configured;
    /** Servers found through server discovery; replaced whole by the lookup chain. */
    private volatile List<Server> discovered = List.of();

    DnsServers(List<InetSocketAddress> addresses, Duration timeout, int maxConcurrency,
            ScheduledExecutorService executor) {
        this.timeout = timeout;
        this.executor = executor;
        this.maxConcurrency = maxConcurrency;
        this.configured = addresses.stream().map(a -> new Server(a, timeout)).toList();
    }

    /** Every server, configured first, then discovered ones not configured. */
    List<Server> all() {
        Map<InetSocketAddress, Server> byAddress = new LinkedHashMap<>();
        configured.forEach(s -> byAddress.put(s.address, s));
        discovered.forEach(s -> byAddress.putIfAbsent(s.address, s));
        return List.copyOf(byAddress.values());
    }

    /** Replaces the discovered servers, keeping the counts of those already known. */
    void discovered(List<InetSocketAddress> addresses) {
        Map<InetSocketAddress, Server> known = new LinkedHashMap<>();
        discovered.forEach(s -> known.put(s.address, s));
        discovered = addresses.stream().distinct().map(a -> known.getOrDefault(a, new Server(a, timeout))).toList();
    }

    /**
     * Asks the servers, fewest failures first, {@code maxConcurrency} at a time.
     *
     * @return the first answer with records of {@code type}, an empty answer when servers
     *     answered but none had records, or a {@link DnsFailure} naming every server's failure
     */
    CompletableFuture<Answer> query(Name name, int type) {
        List<Server> servers = new ArrayList<>(all());
        if (servers.isEmpty()) {
            return CompletableFuture.failedFuture(new DnsFailure("no DNS server to ask", false, ""));
        }
        servers.sort(Comparator.comparingLong(Server::failures));
        return wave(name, type, servers, 0, null, new ArrayList<>());
    }

    /**
     * @param empty the first empty answer from an earlier wave, or {@code null}
     * @param failures the failures of earlier waves
     */
    private CompletableFuture<Answer> wave(Name name, int type, List<Server> servers, int from, Answer empty,
            List<DnsFailure> failures) {
        if (from >= servers.size()) {
            return empty != null ? CompletableFuture.completedFuture(empty)
                    : CompletableFuture.failedFuture(DnsFailure.of(failures));
        }
        List<Server> batch = servers.subList(from, Math.min(servers.size(), from + maxConcurrency));
        CompletableFuture<Answer> withRecords = new CompletableFuture<>();
        List<CompletableFuture<Answer>> asked = new ArrayList<>();
        for (Server server : batch) {
            CompletableFuture<Answer> one = ask(server, name, type);
            one.thenAccept(answer -> {
                if (!answer.empty()) {
                    withRecords.complete(answer);
                }
            });
            asked.add(one);
        }
        CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            if (withRecords.isDone()) {
                return;
            }
            Answer firstEmpty = empty;
            for (CompletableFuture<Answer> one : asked) {
                if (one.isCompletedExceptionally()) {
                    failures.add(asFailure(one.handle((a, failure) -> failure).join()));
                } else if (firstEmpty == null) {
                    firstEmpty = one.join();
                }
            }
            wave(name, type, servers, from + batch.size(), firstEmpty, failures).whenComplete((answer, failure) -> {
                if (failure != null) {
                    withRecords.completeExceptionally(unwrap(failure));
                } else {
                    withRecords.complete(answer);
                }
            });
        });
        return withRecords;
    }

    /** One server's answer (NOERROR or NXDOMAIN), or a {@link DnsFailure}; never later than the timeout. */
    private CompletableFuture<Answer> ask(Server server, Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        CompletableFuture<Message> bounded = new CompletableFuture<>();
        ScheduledFuture<?> timer = executor.schedule(() -> bounded.completeExceptionally(new SocketTimeoutException()),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        server.resolver.sendAsync(query, executor).whenComplete((message, error) -> {
            timer.cancel(false);
            if (error != null) {
                bounded.completeExceptionally(unwrap(error));
            } else {
                bounded.complete(message);
            }
        });
        return bounded.handle((message, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                boolean timedOut = isTimeout(cause);
                throw new CompletionException(failed(server, name, type, timedOut
                        ? "no answer within " + timeout.toMillis() + " ms" : describe(cause), timedOut));
            }
            int rcode = message.getRcode();
            if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                throw new CompletionException(failed(server, name, type, Rcode.string(rcode), false));
            }
            server.answers.incrementAndGet();
            server.lastAnswer = Instant.now();
            List<Record> records = message.getSection(Section.ANSWER).stream()
                    .filter(r -> r.getType() == type).toList();
            List<Record> additional = message.getSection(Section.ADDITIONAL).stream()
                    .filter(r -> r.getType() == Type.A || r.getType() == Type.AAAA).toList();
            return new Answer(records, additional, server.label, records.isEmpty() ? negativeTtl(message) : -1);
        });
    }

    /** RFC 2308: the lesser of the SOA's own TTL and its minimum field; -1 without an SOA. */
    private static long negativeTtl(Message message) {
        return message.getSection(Section.AUTHORITY).stream().filter(SOARecord.class::isInstance)
                .map(SOARecord.class::cast).mapToLong(soa -> Math.min(soa.getTTL(), soa.getMinimum()))
                .min().orElse(-1);
    }

    private static DnsFailure failed(Server server, Name name, int type, String what, boolean timeout) {
        (timeout ? server.timeouts : server.errors).incrementAndGet();
        DnsFailure failure = new DnsFailure(what + " from " + server.label + " for " + name + " " + Type.string(type),
                timeout, server.label);
        server.lastError = failure.getMessage();
        log.debug("DNS server {} failed: {}", server.label, failure.getMessage());
        return failure;
    }

    private static boolean isTimeout(Throwable cause) {
        return cause instanceof SocketTimeoutException || cause instanceof TimeoutException
                || cause.getCause() instanceof TimeoutException;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }

    /** A failure as a {@link DnsFailure}; anything else (a bug) keeps its description. */
    static DnsFailure asFailure(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof DnsFailure failure ? failure : new DnsFailure(describe(cause), false, "");
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
