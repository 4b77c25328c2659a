package dev.qorb.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/** Matches when qorb is enabled and at least one property names a pool ({@code qorb.pools.<name>...}). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(QorbConditions.PoolsConfigured.class)
public @interface ConditionalOnQorbPools {
}
