package io.poolwatch.alerting;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.poolwatch.config.Durations;
import io.poolwatch.config.Secret;
import io.poolwatch.config.Severity;

/**
 * A receiver, validated (see {@link WebhookReceivers}): a webhook, or one or more Alertmanagers. Its secrets show as
 * {@code ******} in toString and JSON, and its URLs are shown only through {@link #maskedUrl()}: scheme, host, port and
 * {@code /****} unless {@code showUrl}.
 * <p>
 * An Alertmanager receiver is delivered to as one {@linkplain #targets() target} per URL, each its own queue in the
 * outbox, named {@code <name>#<n>}, so one Alertmanager that is down holds up none of the others.
 *
 * @param name its name, as in {@code poolwatch.alerting.receivers."<name>"}
 * @param type webhook or alertmanager
 * @param urls a webhook's one URL, where notifications are POSTed; an Alertmanager receiver's base URLs, one per
 *        Alertmanager. Never shown as they are, since some receivers take a token in the path (chat services' webhook
 *        URLs) or the query
 * @param secrets Standard Webhooks secrets ({@code whsec_<base64>}); each signs every request, none when empty (always
 *        none for Alertmanagers)
 * @param bearerToken sent as {@code Authorization: Bearer}
 * @param basicUser with {@code basicPassword}, sent as {@code Authorization: Basic}
 * @param basicPassword the Basic password
 * @param severities the alert severities it takes
 * @param sendResolved whether it takes notifications of resolved alerts
 * @param timeout the longest wait for its answer
 * @param showUrl whether its URL's path may be shown ({@code poolwatch.alerting.receivers."<name>".show-url})
 * @param resendInterval for Alertmanagers, how often firing alerts are posted again; null for webhooks
 */
public record Receiver(String name, Type type, @JsonIgnore List<URI> urls, List<Secret> secrets, Optional<Secret> bearerToken,
        Optional<String> basicUser, Optional<Secret> basicPassword, Set<Severity> severities, boolean sendResolved,
        Duration timeout,
        boolean showUrl, Duration resendInterval) {

    /** What a receiver is, as {@code poolwatch.alerting.receivers."<name>".type} names it. */
    public enum Type {
        /** Notifications grouped by poolwatch, Alertmanager's webhook body, signed. */
        WEBHOOK("webhook"),
        /** Alerts posted to Alertmanager's API v2, which groups and notifies. */
        ALERTMANAGER("alertmanager");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** The name in configuration and JSON. */
        public String label() {
            return label;
        }

        /** The type named {@code text}, in any case; throws naming what is accepted. */
        public static Type parse(String text) {
            for (Type t : values()) {
                if (t.label.equalsIgnoreCase(text.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("accepted: webhook, alertmanager");
        }
    }

    public Receiver {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("receiver " + name + " has no URL");
        }
        if (type == Type.WEBHOOK && urls.size() != 1) {
            throw new IllegalArgumentException("webhook receiver " + name + " has " + urls.size() + " URLs; accepted: one");
        }
        if (type == Type.ALERTMANAGER) {
            Objects.requireNonNull(resendInterval, "resendInterval");
        }
        secrets = List.copyOf(secrets);
        severities = Set.copyOf(severities);
        Objects.requireNonNull(timeout, "timeout");
    }

    /** A webhook receiver. */
    public Receiver(String name, URI url, List<Secret> secrets, Optional<Secret> bearerToken, Optional<String> basicUser,
            Optional<Secret> basicPassword, Set<Severity> severities, boolean sendResolved, Duration timeout, boolean showUrl) {
        this(name, Type.WEBHOOK, List.of(url), secrets, bearerToken, basicUser, basicPassword, severities, sendResolved,
                timeout, showUrl,
                null);
    }

    /** A webhook receiver whose URL's path is not shown. */
    public Receiver(String name, URI url, List<Secret> secrets, Optional<Secret> bearerToken, Optional<String> basicUser,
            Optional<Secret> basicPassword, Set<Severity> severities, boolean sendResolved, Duration timeout) {
        this(name, url, secrets, bearerToken, basicUser, basicPassword, severities, sendResolved, timeout, false);
    }

    /** Its first URL: a webhook's only one, or one target's Alertmanager. */
    @JsonIgnore
    public URI url() {
        return urls.get(0);
    }

    /** Whether it is an Alertmanager receiver (or one of its targets). */
    @JsonIgnore
    public boolean alertmanager() {
        return type == Type.ALERTMANAGER;
    }

    /** The outbox queue of an Alertmanager receiver's {@code index}-th URL (from 0): {@code <name>#<index + 1>}. */
    public static String targetName(String receiver, int index) {
        return receiver + "#" + (index + 1);
    }

    /**
     * Where deliveries go, one outbox queue each: a webhook itself; for an Alertmanager receiver one receiver per URL,
     * named {@link #targetName}, with the receiver's settings.
     */
    @JsonIgnore
    public List<Receiver> targets() {
        if (type == Type.WEBHOOK) {
            return List.of(this);
        }
        List<Receiver> out = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            out.add(new Receiver(targetName(name, i), type, List.of(urls.get(i)), secrets, bearerToken, basicUser,
                    basicPassword, severities,
                    sendResolved, timeout, showUrl, resendInterval));
        }
        return List.copyOf(out);
    }

    /** Each URL as {@link #maskedUrl()} shows it, in order. */
    @JsonProperty("maskedUrls")
    public List<String> maskedUrls() {
        return urls.stream().map(u -> mask(u, showUrl)).toList();
    }

    /**
     * The URL as it may be shown (an Alertmanager receiver's several URLs comma-separated), the one form every page, API
     * answer, audit entry and log line uses: without user
     * information, query values or fragment, and with its path masked unless {@code showUrl}:
     * {@code https://hooks.example:8443/****?token=****}.
     */
    @JsonProperty("maskedUrl")
    public String maskedUrl() {
        return String.join(", ", maskedUrls());
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

    /** {@link #maskText} of each comma-separated URL of a list as configured (an Alertmanager receiver's). */
    static String maskTextList(String raw) {
        return Arrays.stream(raw.split(",", -1)).map(String::trim).map(Receiver::maskText)
                .collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return "Receiver[name=" + name + ", type=" + type.label() + ", url=" + maskedUrl() + ", secrets=" + secrets
                + ", bearerToken=" + bearerToken
                + ", basicUser=" + basicUser + ", basicPassword=" + basicPassword + ", severities=" + severities
                + ", sendResolved="
                + sendResolved + ", timeout=" + Durations.format(timeout) + ", showUrl=" + showUrl
                + (resendInterval == null ? "" : ", resendInterval=" + Durations.format(resendInterval)) + "]";
    }
}
