package io.poolwatch.pool;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a pool's connections are encrypted, as the server reports it for the pool's most recently opened connection
 * (PostgreSQL pg_stat_ssl, MariaDB's Ssl_cipher and Ssl_version session status).
 *
 * @param applicable false for H2, which has no such report
 * @param encrypted whether the connection is encrypted; empty before a connection was opened or when the server did not say
 * @param protocol the TLS version, such as TLSv1.3, when encrypted
 * @param cipher the cipher suite, when encrypted
 * @param measuredAt when the server was asked
 * @param problem why the server could not be asked, if so
 */
public record TlsStatus(boolean applicable, Optional<Boolean> encrypted, Optional<String> protocol, Optional<String> cipher,
        Optional<Instant> measuredAt, Optional<String> problem) {

    /** Nothing measured yet: the pool has not opened a connection. */
    public static final TlsStatus NOT_MEASURED = new TlsStatus(true, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    /** H2: there is nothing to ask. */
    public static final TlsStatus NOT_APPLICABLE = new TlsStatus(false, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    /** What a server said. */
    public static TlsStatus measured(boolean encrypted, Optional<String> protocol, Optional<String> cipher, Instant at) {
        return new TlsStatus(true, Optional.of(encrypted), encrypted ? protocol : Optional.empty(),
                encrypted ? cipher : Optional.empty(),
                Optional.of(at), Optional.empty());
    }

    /** The server could not be asked. */
    public static TlsStatus failed(String problem, Instant at) {
        return new TlsStatus(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(at), Optional.of(problem));
    }
}
