package io.poolwatch.alerting;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.poolwatch.config.Durations;
import io.poolwatch.config.Secret;
import io.poolwatch.config.Severity;

/**
 * A webhook receiver, validated (see {@link WebhookReceivers}). Its secrets show as {@code ******} in toString and JSON,
 * and its URL is shown only through {@link #maskedUrl()}: scheme, host, port and {@code /****} unless {@code showUrl}.
 *
 * @param name its name, as in {@code poolwatch.alerting.receivers."<name>"}
 * @param url where notifications are POSTed; never shown as it is, since some receivers take a token in the path (chat
 *        services' webhook URLs) or the query
 * @param secrets Standard Webhooks secrets ({@code whsec_<base64>}); each signs every request, none when empty
 * @param bearerToken sent as {@code Authorization: Bearer}
 * @param basicUser with {@code basicPassword}, sent as {@code Authorization: Basic}
 * @param basicPassword the Basic password
 * @param severities the alert severities it takes
 * @param sendResolved whether it takes notifications of resolved alerts
 * @param timeout the longest wait for its answer
 * @param showUrl whether its URL's path may be shown ({@code poolwatch.alerting.receivers."<name>".show-url})
 */
public record Receiver(String name, @JsonIgnore URI url, List<Secret> secrets, Optional<Secret> bearerToken, Optional<String> basicUser,
        Optional<Secret> basicPassword, Set<Severity> severities, boolean sendResolved, Duration timeout, boolean showUrl) {

    public Receiver {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        secrets = List.copyOf(secrets);
        severities = Set.copyOf(severities);
        Objects.requireNonNull(timeout, "timeout");
    }

    /** A receiver whose URL's path is not shown. */
    public Receiver(String name, URI url, List<Secret> secrets, Optional<Secret> bearerToken, Optional<String> basicUser,
            Optional<Secret> basicPassword, Set<Severity> severities, boolean sendResolved, Duration timeout) {
        this(name, url, secrets, bearerToken, basicUser, basicPassword, severities, sendResolved, timeout, false);
    }

    /**
     * The URL as it may be shown, the one form every page, API answer, audit entry and log line uses: without user
     * information, query values or fragment, and with its path masked unless {@code showUrl}:
     * {@code https://hooks.example:8443/****?token=****}.
     */
    @JsonProperty("maskedUrl")
    public String maskedUrl() {
        return mask(url, showUrl);
    }

    /** {@code maskedUrl} of any URI, its path masked. */
    static String mask(URI uri) {
        return mask(uri, false);
    }

    /** {@code maskedUrl} of any URI. */
    static String mask(URI uri, boolean showPath) {
        StringBuilder sb = new StringBuilder();
        if (uri.getScheme() != null) {
            sb.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            sb.append(uri.getHost());
        }
        if (uri.getPort() >= 0) {
            sb.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        if (path != null) {
            sb.append(showPath ? path : maskPath(path));
        }
        if (uri.getRawQuery() != null) {
            sb.append('?').append(maskQuery(uri.getRawQuery()));
        }
        return sb.toString();
    }

    /** Nothing, or {@code /} alone, stays; any other path is {@code /****}. */
    static String maskPath(String path) {
        return path.isEmpty() || path.equals("/") ? path : "/****";
    }

    /** Keeps each parameter's name and replaces its value. */
    static String maskQuery(String query) {
        StringBuilder sb = new StringBuilder();
        for (String part : query.split("&", -1)) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            int eq = part.indexOf('=');
            sb.append(eq < 0 ? part : part.substring(0, eq) + "=****");
        }
        return sb.toString();
    }

    /**
     * A URL as configured, masked as far as it can be read: the part before an {@code @} after the scheme, the path and
     * every query value are replaced. For messages about a URL that did not parse.
     */
    static String maskText(String raw) {
        String text = raw.trim();
        int hash = text.indexOf('#');
        if (hash >= 0) {
            text = text.substring(0, hash);
        }
        String query = null;
        int q = text.indexOf('?');
        if (q >= 0) {
            query = text.substring(q + 1);
            text = text.substring(0, q);
        }
        int start = text.indexOf("://");
        start = start < 0 ? 0 : start + 3;
        int at = text.lastIndexOf('@');
        if (at >= start) {
            text = text.substring(0, start) + "****@" + text.substring(at + 1);
            start += 5;
        }
        int slash = text.indexOf('/', start);
        if (slash >= 0) {
            text = text.substring(0, slash) + maskPath(text.substring(slash));
        }
        return query == null ? text : text + "?" + maskQuery(query);
    }

    @Override
    public String toString() {
        return "Receiver[name=" + name + ", url=" + maskedUrl() + ", secrets=" + secrets + ", bearerToken=" + bearerToken
                + ", basicUser=" + basicUser + ", basicPassword=" + basicPassword + ", severities=" + severities + ", sendResolved="
                + sendResolved + ", timeout=" + Durations.format(timeout) + ", showUrl=" + showUrl + "]";
    }
}
