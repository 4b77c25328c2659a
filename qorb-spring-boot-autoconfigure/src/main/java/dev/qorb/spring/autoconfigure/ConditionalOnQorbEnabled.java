package dev.qorb.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches unless {@code qorb.enabled} is {@code false}, so that every qorb auto-configuration
 * backs off together; a value other than true or false fails startup naming the property.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(QorbConditions.Enabled.class)
public @interface ConditionalOnQorbEnabled {
}
