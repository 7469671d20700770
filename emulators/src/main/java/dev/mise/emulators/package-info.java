/** Local stand-ins for the cloud, and the tools that read the function manifest. */
package dev.mise.emulators;
