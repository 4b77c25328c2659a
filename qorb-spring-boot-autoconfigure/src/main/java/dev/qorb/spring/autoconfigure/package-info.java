/**
 * The wiring: properties, the registration of one pool bean per configured pool, startup
 * validation with failure analyzers, and the pools' lifecycle.
 */
package dev.qorb.spring.autoconfigure;
