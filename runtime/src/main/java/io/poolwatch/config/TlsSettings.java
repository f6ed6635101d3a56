package io.poolwatch.config;

import java.util.Optional;

import io.poolwatch.engine.DatabaseKind;
import io.poolwatch.engine.TlsMode;

/**
 * The TLS a pool's connections are configured with (what the server reports is measured separately).
 *
 * @param applicable false for H2, which poolwatch does not configure TLS for
 * @param mode the mode in effect, in libpq's terms
 * @param modeSource the key, URL parameter or driver property that chose it ("built-in" for the driver's default)
 * @param caFile the CA certificate file the server is verified against, if any
 * @param caFileSource the key or driver property that named it
 */
public record TlsSettings(boolean applicable, TlsMode mode, String modeSource, Optional<String> caFile,
        Optional<String> caFileSource) {

    /** The driver's own default when nothing sets TLS: pgjdbc prefers TLS, MariaDB Connector/J does not use it. */
    public static TlsSettings driverDefault(DatabaseKind kind) {
        return kind.dialect().tls()
                .map(tls -> new TlsSettings(true, tls.defaultMode(), "built-in", Optional.empty(), Optional.empty()))
                .orElseGet(() -> notApplicable("built-in"));
    }

    /** No TLS configuration (H2, whose URL decides). */
    public static TlsSettings notApplicable(String source) {
        return new TlsSettings(false, TlsMode.DISABLE, source, Optional.empty(), Optional.empty());
    }
}
