/** The shared runtime of mise: the only code two function modules share. */
package dev.mise.common;
