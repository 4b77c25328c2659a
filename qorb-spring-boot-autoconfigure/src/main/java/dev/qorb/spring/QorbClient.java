package dev.qorb.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Injects the pool configured under {@code qorb.pools.<name>}, on a field (no
 * {@code @Autowired} needed), a constructor parameter or a {@code @Bean} method parameter:
 *
 * <pre>{@code
 * @QorbClient("orders") Pool<Socket> orders;
 * }</pre>
 *
 * The connection type is checked: {@code Pool<Socket>} matches only a pool whose connector
 * makes sockets. An unknown name or a type that does not match fails startup with a message
 * listing the configured pools.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
@Autowired
public @interface QorbClient {

    /** The pool's name: the key under {@code qorb.pools}. */
    String value();
}
