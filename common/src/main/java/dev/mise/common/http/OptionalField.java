package dev.mise.common.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component or field that {@link StrictJson} lets a document leave out (or set to
 * {@code null}); every other one is required, so a forgotten field is a 400, not a silent null.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface OptionalField {}
