package io.poolwatch.engine;

import java.util.Locale;
import java.util.Optional;

/**
 * How a pool's connections use TLS, in libpq's terms (the seeds' {@code sslmode}); each driver gets its own equivalent.
 */
public enum TlsMode {
    /** Never TLS. */
    DISABLE("disable"),
    /** libpq's allow (URL parameter only): plain first, TLS if the server insists. */
    ALLOW("allow"),
    /** TLS if the server offers it, else plain; the server is not verified. */
    PREFER("prefer"),
    /** TLS or no connection; the server is not verified. */
    REQUIRE("require"),
    /** TLS, and the server's certificate must be signed by the CA. */
    VERIFY_CA("verify-ca"),
    /** TLS, the certificate signed by the CA and naming the host connected to. */
    VERIFY_FULL("verify-full");

    /** The values accepted by {@code tls.mode}. */
    public static final String ACCEPTED = "disable, prefer, require, verify-ca, verify-full";

    private final String configName;

    TlsMode(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration, the API and the dashboard. */
    public String configName() {
        return configName;
    }

    /** Whether the driver refuses a connection that is not encrypted. */
    public boolean encrypts() {
        return this == REQUIRE || verifies();
    }

    /** Whether the server's certificate is checked against a CA. */
    public boolean verifies() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }

    /** A {@code tls.mode} value; {@code allow} is not one (it exists only for the seeds' URLs). */
    public static Optional<TlsMode> fromConfig(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (TlsMode m : values()) {
            if (m != ALLOW && m.configName.equals(t)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** libpq's {@code sslmode} value, which pgjdbc and the seeds' URLs take too. */
    public static Optional<TlsMode> fromLibpq(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (TlsMode m : values()) {
            if (m.configName.equals(t)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
