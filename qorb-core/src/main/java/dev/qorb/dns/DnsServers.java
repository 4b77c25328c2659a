package dev.qorb.dns;

import java.io.IOException;
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
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The DNS servers one resolver asks, each with its own counts, and the query that asks them
 * concurrently: the first answer with records wins; an empty answer is believed only when no
 * server has records; only when every server failed does the query fail.
 *
 * <p>Thread-safety: the server lists are replaced whole (volatile); counters are atomic.
 * Queries use dnsjava's async API with the executor given, and no cache.
 */
final class DnsServers {

    private static final Logger log = LoggerFactory.getLogger(DnsServers.class);

    /** One server and what it did. */
    static final class Server {
        final InetSocketAddress address;
        final SimpleResolver resolver;
        final AtomicLong answers = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        volatile Instant lastAnswer;
        volatile String lastError;

        Server(InetSocketAddress address, Duration timeout) {
            this.address = address;
            this.resolver = new SimpleResolver(address);
            this.resolver.setTimeout(timeout);
        }

        long failures() {
            return errors.get() + timeouts.get();
        }

        DnsResolver.ServerStatus status() {
            return new DnsResolver.ServerStatus(DnsResolver.format(address), answers.get(), errors.get(), timeouts.get(),
                    Optional.ofNullable(lastAnswer), Optional.ofNullable(lastError));
        }
    }

    /** What one query found: records of the type asked, and the additional section as a hint. */
    record Answer(List<Record> records, List<Record> additional) {
        static final Answer EMPTY = new Answer(List.of(), List.of());
    }

    private final Duration timeout;
    private final Executor executor;
    private final int maxConcurrency;
    private final List<Server> configured;
    /** Servers found through server discovery; replaced whole by the lookup chain. */
    private volatile List<Server> discovered = List.of();

    DnsServers(List<InetSocketAddress> addresses, Duration timeout, int maxConcurrency, Executor executor) {
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
     *     answered but none had records, or a failure when no server answered
     */
    CompletableFuture<Answer> query(Name name, int type) {
        List<Server> servers = new ArrayList<>(all());
        if (servers.isEmpty()) {
            return CompletableFuture.failedFuture(new IOException("no DNS server to ask"));
        }
        servers.sort(Comparator.comparingLong(Server::failures));
        return wave(name, type, servers, 0, false, null);
    }

    private CompletableFuture<Answer> wave(Name name, int type, List<Server> servers, int from, boolean anyAnswered,
            Throwable lastError) {
        if (from >= servers.size()) {
            return anyAnswered ? CompletableFuture.completedFuture(Answer.EMPTY)
                    : CompletableFuture.failedFuture(lastError);
        }
        List<Server> batch = servers.subList(from, Math.min(servers.size(), from + maxConcurrency));
        CompletableFuture<Answer> withRecords = new CompletableFuture<>();
        List<CompletableFuture<Optional<Answer>>> asked = new ArrayList<>();
        for (Server server : batch) {
            CompletableFuture<Optional<Answer>> one = ask(server, name, type);
            one.thenAccept(answer -> answer.filter(a -> !a.records().isEmpty()).ifPresent(withRecords::complete));
            asked.add(one);
        }
        CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            if (withRecords.isDone()) {
                return;
            }
            boolean answered = anyAnswered;
            Throwable last = lastError;
            for (CompletableFuture<Optional<Answer>> one : asked) {
                if (one.isCompletedExceptionally()) {
                    Throwable e = one.handle((a, failure) -> failure).join();
                    last = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                } else {
                    answered |= one.join().isPresent();
                }
            }
            wave(name, type, servers, from + batch.size(), answered, last).whenComplete((answer, failure) -> {
                if (failure != null) {
                    withRecords.completeExceptionally(failure);
                } else {
                    withRecords.complete(answer);
                }
            });
        });
        return withRecords;
    }

    /** One server's answer: present when it answered (NOERROR or NXDOMAIN), failed otherwise. */
    private CompletableFuture<Optional<Answer>> ask(Server server, Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        return server.resolver.sendAsync(query, executor).toCompletableFuture().handle((message, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                failed(server, name, type, cause);
                throw new CompletionException(cause);
            }
            int rcode = message.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                answered(server);
                return Optional.of(Answer.EMPTY);
            }
            if (rcode != Rcode.NOERROR) {
                IOException refused = new IOException(DnsResolver.format(server.address) + " answered "
                        + Rcode.string(rcode) + " for " + name + " " + Type.string(type));
                failed(server, name, type, refused);
                throw new CompletionException(refused);
            }
            answered(server);
            List<Record> records = message.getSection(Section.ANSWER).stream()
                    .filter(r -> r.getType() == type).toList();
            List<Record> additional = message.getSection(Section.ADDITIONAL).stream()
                    .filter(r -> r.getType() == Type.A || r.getType() == Type.AAAA).toList();
            return Optional.of(new Answer(records, additional));
        });
    }

    private static void answered(Server server) {
        server.answers.incrementAndGet();
        server.lastAnswer = Instant.now();
    }

    private static void failed(Server server, Name name, int type, Throwable error) {
        boolean timeout = error instanceof SocketTimeoutException || error instanceof TimeoutException
                || error.getCause() instanceof TimeoutException;
        (timeout ? server.timeouts : server.errors).incrementAndGet();
        server.lastError = error.getClass().getSimpleName() + ": " + error.getMessage();
        log.debug("DNS server {} failed {} {}: {}", DnsResolver.format(server.address), name, Type.string(type),
                server.lastError);
    }
}
