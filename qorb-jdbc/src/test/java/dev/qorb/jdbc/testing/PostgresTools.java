package dev.qorb.jdbc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs PostgreSQL's server tools from Debian's packages. PostgreSQL refuses to run as root, so
 * when the JVM is root they run as the {@code postgres} user, in directories that user owns.
 */
final class PostgresTools {

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path bin;

    private PostgresTools(Path bin) {
        this.bin = bin;
    }

    /** The tools of the newest major version under {@code /usr/lib/postgresql}, if any is installed. */
    static Optional<PostgresTools> find() {
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> majors = Files.list(versions)) {
            return majors.map(major -> major.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> majorVersion(bin.getParent())))
                    .map(PostgresTools::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int majorVersion(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A new directory under /tmp that the server's user owns (every parent of a data dir must be enterable by it). */
    static Path newDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        if (ROOT) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        return dir;
    }

    /** Runs {@code tool} (a program in the bin directory, or {@code cp}) and returns its output; throws with the output when it fails. */
    String run(String tool, String... args) throws IOException {
        Result result = tryRun(tool, args);
        if (result.exitCode != 0) {
            throw new IOException(tool + " " + String.join(" ", args) + " failed with exit code " + result.exitCode
                    + ":\n" + result.output);
        }
        return result.output;
    }

    /** What a tool printed and how it exited. */
    record Result(int exitCode, String output) {
    }

    Result tryRun(String tool, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (ROOT) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(tool.contains("/") || tool.equals("cp") ? tool : bin.resolve(tool).toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("qorb-pg-tool", ".log");
        try {
            // Output to a file, not a pipe: a server started by pg_ctl could keep a pipe open after pg_ctl exits.
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + TOOL_TIMEOUT);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Deletes {@code dir} and everything in it. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Override
    public String toString() {
        return bin.toString();
    }
}
