package dev.qorb.spring.actuate;

import dev.qorb.Secrets;

/**
 * Sanitizes text qorb shows but did not write: a backend's last error (a connector's exception
 * message), a resolver's description. The starter's bean applies {@link Secrets#mask}, then the
 * application's {@code SanitizingFunction} beans, as Spring Boot's endpoints do; define a bean
 * of this type to replace it.
 */
@FunctionalInterface
public interface TextSanitizer {

    /**
     * @param key what the text is ({@code lastError}, {@code resolver}), as a SanitizingFunction sees it
     * @param text the text, possibly {@code null}
     * @return the text to show
     */
    String sanitize(String key, String text);

    /** {@link Secrets#mask} alone: what applies without actuator's SanitizingFunction support. */
    static TextSanitizer defaults() {
        return (key, text) -> Secrets.mask(text);
    }
}
