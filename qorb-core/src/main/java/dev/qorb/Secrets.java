package dev.qorb;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what looks like a secret in text qorb did not write itself, before qorb logs or shows
 * it: connectors' exception messages (a JDBC driver's may quote its URL) and resolvers'
 * {@code toString()}. It follows Spring Boot's conventions for likely credentials: the value
 * of any {@code key=value} or {@code key: value} whose key ends with {@code password},
 * {@code secret}, {@code key} or {@code token} or contains {@code credential}, the password
 * of a URL's user info, and the credentials of an {@code Authorization} value become
 * {@value #MASK}.
 */
public final class Secrets {

    /** What a masked value is replaced with: Spring Boot's sanitized value. */
    public static final String MASK = "******";

    /** {@code scheme://user:password@}: the password. */
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/@\\s:]*):([^/@\\s]+)@");
    /** {@code Authorization: Bearer xyz}: the credentials after the optional scheme. */
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)(authorization[\"']?\\s*[=:]\\s*[\"']?(?:(?:bearer|basic|digest|token)\\s+)?)[^\\s\"',;&]+");
    /** A key that names a credential, optionally quoted, then = or :, then its value up to a delimiter. */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)([\"']?[a-z0-9_.-]*(?:password|passwd|pwd|secret|key|token|credentials?)[\"']?\\s*[=:]\\s*)"
                    + "(\"[^\"]*\"|'[^']*'|[^\\s\"',;&}\\])]+)");

    private Secrets() {
    }

    /** {@code text} with likely secrets replaced by {@value #MASK}; {@code null} stays {@code null}. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = USER_INFO.matcher(text).replaceAll("$1:" + Matcher.quoteReplacement(MASK) + "@");
        masked = AUTHORIZATION.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        return KEY_VALUE.matcher(masked).replaceAll(match -> {
            String value = match.group(2);
            String quote = value.startsWith("\"") || value.startsWith("'") ? value.substring(0, 1) : "";
            return Matcher.quoteReplacement(match.group(1) + quote + MASK + quote);
        });
    }
}
