package io.poolwatch.alerting;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.poolwatch.config.Durations;

/**
 * Makes one delivery attempt: POSTs a notification's body to its receiver, signed (Standard Webhooks headers
 * webhook-id, webhook-timestamp of this attempt, webhook-signature) and authenticated as configured, and says what
 * the answer means. To an Alertmanager (one target of an Alertmanager receiver) the body goes to
 * {@code <base URL>/api/v2/alerts}, authenticated alike but without the Standard Webhooks headers. Retrying is the
 * {@link DeliveryWorker}'s, which keeps its state in the outbox.
 */
public final class WebhookSender {

    /** What an attempt's answer means. */
    public enum Verdict {
        /** 2xx: the receiver has it. */
        DELIVERED,
        /** A network error, a timeout, 5xx, 408 or 429: try again later. */
        RETRY,
        /** Any other answer (4xx, a redirect): trying again will not help. */
        REJECTED
    }

    /**
     * The attempt's result.
     *
     * @param verdict what it means
     * @param httpStatus the receiver's status code, when it answered
     * @param error what went wrong, without secrets; empty when delivered
     * @param took how long the attempt took
     * @param retryAfter the receiver's Retry-After (429 and 503 only)
     * @param timestamp the webhook-timestamp sent, seconds since the epoch
     */
    public record Result(Verdict verdict, Optional<Integer> httpStatus, Optional<String> error, Duration took,
            Optional<Duration> retryAfter, long timestamp) {
    }

    public static final String USER_AGENT = "poolwatch";

    private final Clock clock;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    /** One HTTP client per receiver, rebuilt if its settings change. */
    private record Client(Receiver receiver, HttpClient http, WebhookSigner signer) {
    }

    /** @param clock the source of webhook-timestamp */
    public WebhookSender(Clock clock) {
        this.clock = clock;
    }

    private Client client(Receiver r) {
        return clients.compute(r.name(), (name, existing) -> existing != null && existing.receiver().equals(r) ? existing
                : new Client(r, HttpClient.newBuilder()
                        .connectTimeout(r.timeout())
                        // A redirect of a POST is a configuration to fix, not something to follow with the signature.
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build(), new WebhookSigner(r.secrets())));
    }

    /** Sends {@code n} to {@code r} once. Never throws for what the network or the receiver does. */
    public Result send(Receiver r, Notification n) {
        Client client = client(r);
        long timestamp = clock.instant().getEpochSecond();
        long start = System.nanoTime();
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(r.alertmanager() ? alertsEndpoint(r.url()) : r.url())
                    .timeout(r.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .POST(HttpRequest.BodyPublishers.ofString(n.body(), StandardCharsets.UTF_8));
            if (!r.alertmanager()) {
                b.header("webhook-id", n.id()).header("webhook-timestamp", Long.toString(timestamp));
            }
            if (client.signer().signs() && !r.alertmanager()) {
                b.header("webhook-signature", client.signer().sign(n.id(), timestamp, n.body()));
            }
            r.bearerToken().ifPresent(t -> b.header("Authorization", "Bearer " + t.reveal()));
            if (r.basicUser().isPresent()) {
                String pair = r.basicUser().get() + ":" + r.basicPassword().map(p -> p.reveal()).orElse("");
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            request = b.build();
        } catch (IllegalArgumentException e) {
            // The JDK's message may quote the header value, which may be a token: not repeated.
            return new Result(Verdict.REJECTED, Optional.empty(), Optional.of("the request could not be built: a header value "
                    + "(token, user or password) has characters HTTP does not allow"), took(start), Optional.empty(),
                    timestamp);
        }
        try {
            HttpResponse<Void> response = client.http().send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            Verdict verdict = verdict(status);
            Optional<Duration> retryAfter = status == 429 || status == 503
                    ? response.headers().firstValue("Retry-After").flatMap(v -> retryAfter(v, clock.instant()))
                    : Optional.empty();
            Optional<String> error = verdict == Verdict.DELIVERED ? Optional.empty()
                    : Optional.of("HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
            return new Result(verdict, Optional.of(status), error, took(start), retryAfter, timestamp);
        } catch (HttpConnectTimeoutException e) {
            return failed("could not connect within " + Durations.format(r.timeout()), start, timestamp);
        } catch (HttpTimeoutException e) {
            return failed("no answer within " + Durations.format(r.timeout()), start, timestamp);
        } catch (ConnectException e) {
            return failed("could not connect" + (e.getMessage() == null ? "" : ": " + clean(e.getMessage(), r)), start,
                    timestamp);
        } catch (IOException e) {
            return failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + clean(e.getMessage(), r)), start,
                    timestamp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // The request may have reached the receiver: it is sent again later, with the same webhook-id.
            return failed("interrupted (poolwatch is stopping)", start, timestamp);
        }
    }

    /** Alertmanager's API v2 endpoint for posting alerts under a base URL (which may carry a route prefix). */
    static URI alertsEndpoint(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        String joined = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/api/v2/alerts";
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + joined);
    }

    /** 2xx delivered; 408, 429 and 5xx retried; anything else rejected. */
    static Verdict verdict(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.DELIVERED;
        }
        if (status == 408 || status == 429 || status >= 500) {
            return Verdict.RETRY;
        }
        return Verdict.REJECTED;
    }

    private static Result failed(String error, long start, long timestamp) {
        return new Result(Verdict.RETRY, Optional.empty(), Optional.of(error), took(start), Optional.empty(), timestamp);
    }

    private static Duration took(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** An exception message with the receiver's URL, or its path or query alone, should they appear, masked. */
    static String clean(String message, Receiver r) {
        String shown = r.maskedUrl();
        String out = message.replace(r.url().toString(), shown).replace(r.url().toASCIIString(), shown);
        String path = r.url().getRawPath();
        if (!r.showUrl() && path != null && path.length() > 1) {
            out = out.replace(path, Receiver.maskPath(path));
        }
        String query = r.url().getRawQuery();
        if (query != null && !query.isEmpty()) {
            out = out.replace(query, Receiver.maskQuery(query));
        }
        return out;
    }

    /** Retry-After as delta-seconds or an HTTP date; empty when unreadable. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String v = value.trim();
        if (v.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
