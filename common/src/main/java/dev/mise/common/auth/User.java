package dev.mise.common.auth;

import java.util.Optional;

/** The signed-in user a request acts for: the token's {@code sub} (Firebase's uid). */
public record User(String uid, Optional<String> email) {}
