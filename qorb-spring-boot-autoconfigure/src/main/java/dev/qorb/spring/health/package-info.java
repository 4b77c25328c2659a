/** The qorb health indicator: one entry per pool, with its backends as details. */
package dev.qorb.spring.health;
