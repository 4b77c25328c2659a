/**
 * What applications use of qorb's Spring Boot support: {@link dev.qorb.spring.QorbClient} to
 * inject a named pool, {@link dev.qorb.spring.QorbPoolCustomizer} to adjust pools before they
 * are built, and {@link dev.qorb.spring.QorbPoolDecorator} to wrap them.
 */
package dev.qorb.spring;
