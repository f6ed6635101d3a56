package io.poolwatch.service;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops Quarkus's "Unrecognized configuration key" warning for the service's own keys,
 * {@code poolwatch.embedded.*} and {@code poolwatch.simulator.*}. They are read by the service's
 * {@code @ConfigMapping}s, but sit under {@code poolwatch.*}, the extension's config root, whose unknown keys
 * Quarkus reports at start-up without looking at application mappings. Every other warning, including one for a
 * mistyped {@code poolwatch.*} key of the extension, is kept.
 */
@LoggingFilter(name = "poolwatch-service-keys")
public final class ServiceKeysLogFilter implements Filter {

    private static final Pattern SERVICE_KEY = Pattern.compile(
            "Unrecognized configuration key \"poolwatch\\.(embedded|simulator)\\..*");

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message == null || !message.startsWith("Unrecognized configuration key")) {
            return true;
        }
        String formatted = record.getParameters() == null || record.getParameters().length == 0 ? message
                : String.format(message.replace("\\\"", "\""), record.getParameters());
        return !SERVICE_KEY.matcher(formatted).matches();
    }
}
