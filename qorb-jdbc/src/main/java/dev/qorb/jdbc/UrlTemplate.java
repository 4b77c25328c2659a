package dev.qorb.jdbc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC URL with {@code {host}} and {@code {port}} where each backend's address goes, such as
 * {@code jdbc:postgresql://{host}:{port}/orders}.
 *
 * @param template the URL as the user wrote it
 */
record UrlTemplate(String template) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Pattern SUBPROTOCOL = Pattern.compile("^jdbc:([a-zA-Z0-9_-]+):");

    /** An address for checking the template before any backend is known. */
    static final InetSocketAddress SAMPLE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5432);

    /** @throws IllegalArgumentException saying what is wrong with {@code template} and how to write it */
    UrlTemplate {
        Objects.requireNonNull(template, "the URL template must not be null");
        String example = " Write it as, for example, jdbc:postgresql://{host}:{port}/orders.";
        if (!SUBPROTOCOL.matcher(template).find()) {
            throw new IllegalArgumentException("the URL template '" + template
                    + "' is not a JDBC URL: it must start with jdbc: and the driver's name and a colon." + example);
        }
        Matcher placeholder = PLACEHOLDER.matcher(template);
        while (placeholder.find()) {
            String name = placeholder.group(1);
            if (!name.equals("host") && !name.equals("port")) {
                throw new IllegalArgumentException("the URL template '" + template + "' has the placeholder {" + name
                        + "}; only {host} and {port} are replaced." + example);
            }
        }
        for (String needed : new String[] {"{host}", "{port}"}) {
            if (!template.contains(needed)) {
                throw new IllegalArgumentException("the URL template '" + template + "' has no " + needed
                        + ": each backend's address goes in the URL, so it needs both {host} and {port}." + example);
            }
        }
    }

    /** The driver's name in the URL: {@code postgresql} for {@code jdbc:postgresql://...}. */
    String subprotocol() {
        Matcher matcher = SUBPROTOCOL.matcher(template);
        matcher.find();
        return matcher.group(1);
    }

    /** The URL for one backend: its IP address (IPv6 in brackets) and port. */
    String expand(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return template.replace("{host}", host).replace("{port}", Integer.toString(address.getPort()));
    }

    @Override
    public String toString() {
        return template;
    }
}
