package io.poolwatch.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.poolwatch.config.PoolSettings;
import io.poolwatch.config.TlsWarning;
import io.poolwatch.engine.TlsMode;
import io.poolwatch.pool.TlsStatus;
import io.poolwatch.pool.WorkloadPool;
import io.quarkus.qute.TemplateData;

/**
 * A pool's TLS as the API and the dashboard show it: the mode configured and where it came from, and what the server
 * reported for the pool's most recently opened connection.
 *
 * @param applicable false for H2 (nothing to configure or measure)
 * @param mode disable, allow, prefer, require, verify-ca or verify-full
 * @param modeSource the key, URL parameter or driver property that chose the mode
 * @param caFile the CA file the server is verified against, if any
 * @param encrypted as the server reports it; null before a connection was opened or when it could not be asked
 * @param protocol the TLS version, when encrypted
 * @param cipher the cipher suite, when encrypted
 * @param verified encrypted and the server's certificate checked against the CA (verify-ca, verify-full)
 * @param hostnameVerified verified, and the certificate names the host (verify-full)
 * @param measuredAt when the server was asked
 * @param problem why the server could not be asked
 * @param warning the production warning: no TLS to a host that is not loopback
 */
@TemplateData
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TlsView(boolean applicable, String mode, String modeSource, String caFile, Boolean encrypted, String protocol,
        String cipher,
        boolean verified, boolean hostnameVerified, Instant measuredAt, String problem, String warning) {

    static TlsView of(WorkloadPool pool) {
        PoolSettings s = pool.settings();
        TlsStatus t = pool.tls();
        if (!s.tls().applicable()) {
            return new TlsView(false, null, s.tls().modeSource(), null, null, null, null, false, false, null, null, null);
        }
        boolean encrypted = t.encrypted().orElse(false);
        return new TlsView(true, s.tls().mode().configName(), s.tls().modeSource(), s.tls().caFile().orElse(null),
                t.encrypted().orElse(null),
                t.protocol().orElse(null), t.cipher().orElse(null), encrypted && s.tls().mode().verifies(),
                encrypted && s.tls().mode() == TlsMode.VERIFY_FULL, t.measuredAt().orElse(null), t.problem().orElse(null),
                TlsWarning.current(s, t.encrypted()).orElse(null));
    }

    /** The badge text: "TLS", "no TLS", or "TLS not measured"; read as text, not colour. */
    public String badge() {
        if (!applicable) {
            return "TLS n/a";
        }
        return encrypted == null ? "TLS not measured" : encrypted ? "TLS" : "no TLS";
    }

    /** The badge's style class: tls-on, tls-off or tls-unknown (the text says the same). */
    public String badgeClass() {
        return encrypted == null ? "tls-unknown" : encrypted ? "tls-on" : "tls-off";
    }

    /** One line for a tooltip or the configuration table. */
    public String detail() {
        if (!applicable) {
            return "not applicable (H2)";
        }
        StringBuilder sb = new StringBuilder("mode ").append(mode);
        if (encrypted == null) {
            sb.append(problem != null ? "; the server could not be asked: " + problem : "; no connection opened yet");
        } else if (encrypted) {
            sb.append("; encrypted, ").append(protocol == null ? "" : protocol).append(cipher == null ? "" : " " + cipher)
                    .append(hostnameVerified ? "; certificate and host name verified"
                            : verified ? "; certificate verified (not the host name)"
                                    : "; server not verified");
        } else {
            sb.append("; not encrypted");
        }
        return sb.toString();
    }
}
