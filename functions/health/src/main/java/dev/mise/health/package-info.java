/** Health checks that exercise the local stack end to end. */
package dev.mise.health;
