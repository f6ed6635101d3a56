package io.poolwatch.alerting;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.poolwatch.config.Converters;
import io.poolwatch.config.Durations;
import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.Secret;
import io.poolwatch.config.Severity;

/**
 * Validates the receivers of {@code poolwatch.alerting.receivers."<name>".*}, webhooks and Alertmanagers. Every problem of
 * every receiver is collected and reported at once, each naming its key, its value and what is accepted; a secret, token
 * or password is named by its key only, never shown, and URLs are shown masked.
 */
public final class WebhookReceivers {

    static final String PREFIX = "poolwatch.alerting.receivers.";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);
    static final String SECRET_PREFIX = "whsec_";
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;
    static final String ACCEPTED_URL = "an absolute http:// or https:// URL with a host, such as https://hooks.example/alerts";
    static final String ACCEPTED_ALERTMANAGER_URL = "one or more Alertmanager base URLs, comma-separated, each an absolute http:// or "
            + "https:// URL with a host and no query, such as http://alertmanager-0:9093,http://alertmanager-1:9093";
    /** Most Alertmanagers one receiver posts to (an Alertmanager cluster has a handful). */
    static final int MAX_ALERTMANAGERS = 10;
    /**
     * Longest name of an Alertmanager receiver: its outbox queues are named {@code <name>#<n>} in the outbox's 63-character
     * receiver column.
     */
    static final int MAX_ALERTMANAGER_NAME = 60;
    static final Duration DEFAULT_RESEND_INTERVAL = Duration.ofMinutes(1);
    static final Duration MAX_RESEND_INTERVAL = Duration.ofHours(1);
    static final String ACCEPTED_SECRET = "whsec_<base64 key> with a key of " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
            + " bytes; several comma-separated while keys are rotated";

    private WebhookReceivers() {
    }

    /**
     * Validates the receivers, in name order.
     *
     * @throws InvalidConfigurationException listing every problem
     */
    public static List<Receiver> parse(Map<String, PoolwatchConfig.ReceiverConfig> config) {
        List<String> problems = new ArrayList<>();
        List<Receiver> receivers = new ArrayList<>();
        Map<String, String> byUrl = new HashMap<>();
        for (var e : new TreeMap<>(config).entrySet()) {
            Parser p = new Parser(e.getKey(), e.getValue(), problems);
            Optional<Receiver> parsed = p.parse();
            boolean duplicate = false;
            for (URI url : p.urls) {
                // Two receivers at one URL would each get every notification twice over, or one is a mistake.
                String first = byUrl.putIfAbsent(sameness(url), e.getKey());
                if (first != null && !duplicate) {
                    String raw = p.raw.url().orElse("");
                    String which = p.alertmanager ? Receiver.maskTextList(raw) + ": " + Receiver.mask(url) + " is"
                            : Receiver.maskText(raw) + ":";
                    problems.add(p.key("url") + "=" + which + " the same URL as " + PREFIX + "\"" + first
                            + "\".url; accepted: a URL of its own for each receiver");
                    duplicate = true;
                }
            }
            if (!duplicate) {
                parsed.ifPresent(receivers::add);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return List.copyOf(receivers);
    }

    /**
     * What makes two URLs the same receiver: scheme and host in any case, the default port written or not, the path
     * normalised, the query as it is.
     */
    static String sameness(URI u) {
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        String path = u.normalize().getRawPath();
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port
                + (path == null || path.isEmpty() ? "/" : path)
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    /** Decodes a {@code whsec_<base64>} secret; throws {@link IllegalArgumentException} without the secret in its message. */
    static byte[] decodeSecret(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("does not start with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not base64 after " + SECRET_PREFIX);
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("has a key of " + key.length + " bytes");
        }
        return key;
    }

    /** Parses one receiver, adding its problems to the shared list. */
    private static final class Parser {
        private final String name;
        private final PoolwatchConfig.ReceiverConfig raw;
        private final List<String> problems;
        private final int problemsBefore;
        /** The URLs that parsed. */
        List<URI> urls = List.of();
        /** Whether it is of type alertmanager. */
        boolean alertmanager;

        Parser(String name, PoolwatchConfig.ReceiverConfig raw, List<String> problems) {
            this.name = name;
            this.raw = raw;
            this.problems = problems;
            this.problemsBefore = problems.size();
        }

        private String key(String k) {
            return PREFIX + "\"" + name + "\"." + k;
        }

        private static Optional<String> text(Optional<String> v) {
            return v.map(String::trim).filter(s -> !s.isEmpty());
        }

        /** A value that may be shown: the message of {@code parse} names the value itself. */
        private <T> Optional<T> value(String k, Optional<String> v, Function<String, T> parse) {
            Optional<String> t = text(v);
            if (t.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parse.apply(t.get()));
            } catch (IllegalArgumentException e) {
                problems.add(key(k) + "=" + t.get() + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        Optional<Receiver> parse() {
            if (!NAME.matcher(name).matches()) {
                problems.add(
                        PREFIX + "\"" + name + "\": '" + name + "' is not a valid receiver name; accepted: lower-case letters, "
                                + "digits, '-' and '_', starting with a letter or digit, at most 63 characters");
                return Optional.empty();
            }
            Receiver.Type type = value("type", raw.type(), Receiver.Type::parse).orElse(Receiver.Type.WEBHOOK);
            alertmanager = type == Receiver.Type.ALERTMANAGER;
            if (alertmanager && name.length() > MAX_ALERTMANAGER_NAME) {
                problems.add(PREFIX + "\"" + name + "\": '" + name + "' has " + name.length()
                        + " characters; accepted: at most "
                        + MAX_ALERTMANAGER_NAME + " for type=alertmanager (its Alertmanagers are queued as <name>#<n>)");
            }
            urls = alertmanager ? alertmanagerUrls() : url().map(List::of).orElse(List.of());
            List<Secret> secrets = alertmanager ? List.of() : secrets();
            if (alertmanager && text(raw.secret()).isPresent()) {
                // Never the value: it is a signing key.
                problems.add(key("secret")
                        + ": set for type=alertmanager; Alertmanager checks no Standard Webhooks signature; accepted: "
                        + "no secret (authenticate with bearer-token, or basic-user with basic-password)");
            }
            Duration resend = null;
            Optional<String> resendText = text(raw.resendInterval());
            if (alertmanager) {
                resend = value("resend-interval", raw.resendInterval(), Durations::parse).orElse(DEFAULT_RESEND_INTERVAL);
                if (resend.isZero() || resend.compareTo(MAX_RESEND_INTERVAL) > 0) {
                    problems.add(key("resend-interval") + "=" + resendText.orElse("") + ": accepted: above 0s and at most "
                            + Durations.format(MAX_RESEND_INTERVAL));
                }
            } else if (resendText.isPresent()) {
                problems.add(key("resend-interval") + "=" + resendText.get()
                        + ": set for type=webhook; accepted: only with type=alertmanager "
                        + "(a webhook receiver's firing groups are sent again after poolwatch.alerting.repeat-interval)");
            }
            Optional<Secret> bearer = text(raw.bearerToken()).map(Secret::new);
            Optional<String> user = text(raw.basicUser());
            Optional<Secret> password = text(raw.basicPassword()).map(Secret::new);
            if (bearer.isPresent() && (user.isPresent() || password.isPresent())) {
                problems.add(key("bearer-token") + ": set together with " + (user.isPresent() ? "basic-user" : "basic-password")
                        + "; accepted: bearer-token, or basic-user with basic-password, not both");
            } else if (user.isPresent() && password.isEmpty()) {
                problems.add(key("basic-password") + ": not set; basic-user=" + user.get() + " needs it");
            } else if (password.isPresent() && user.isEmpty()) {
                problems.add(key("basic-user") + ": not set; basic-password needs it");
            }
            Set<Severity> severities = severities();
            boolean sendResolved = value("send-resolved", raw.sendResolved(), Converters::parseBoolean).orElse(true);
            Duration timeout = value("timeout", raw.timeout(), Durations::parse).orElse(DEFAULT_TIMEOUT);
            boolean showUrl = value("show-url", raw.showUrl(), Converters::parseBoolean).orElse(false);
            if (timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
                problems.add(key("timeout") + "=" + text(raw.timeout()).orElse("") + ": accepted: above 0s and at most "
                        + Durations.format(MAX_TIMEOUT));
            }
            if (problems.size() > problemsBefore) {
                return Optional.empty();
            }
            return Optional.of(
                    new Receiver(name, type, urls, secrets, bearer, user, password, severities, sendResolved, timeout, showUrl,
                            resend));
        }

        /** An Alertmanager receiver's base URLs: each parsed, and every problem of each named with its place in the list. */
        private List<URI> alertmanagerUrls() {
            Optional<String> text = text(raw.url());
            if (text.isEmpty()) {
                problems.add(key("url") + ": not set; accepted: " + ACCEPTED_ALERTMANAGER_URL);
                return List.of();
            }
            String[] parts = text.get().split(",", -1);
            String shownAll = key("url") + "=" + Receiver.maskTextList(text.get()) + ": ";
            if (parts.length > MAX_ALERTMANAGERS) {
                problems.add(shownAll + parts.length + " URLs; accepted: at most " + MAX_ALERTMANAGERS);
                return List.of();
            }
            List<URI> out = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i].trim();
                String which = parts.length == 1 ? "" : "URL " + (i + 1) + " of " + parts.length + ", ";
                if (part.isEmpty()) {
                    problems.add(shownAll + which + "empty; accepted: " + ACCEPTED_ALERTMANAGER_URL);
                    continue;
                }
                Optional<URI> uri = parseUrl(part, which, ACCEPTED_ALERTMANAGER_URL);
                if (uri.isEmpty()) {
                    continue;
                }
                if (uri.get().getRawQuery() != null || uri.get().getRawFragment() != null) {
                    problems.add(key("url") + "=" + Receiver.maskText(part) + ": " + which
                            + "has a query or fragment, which Alertmanager's API "
                            + "does not take; accepted: " + ACCEPTED_ALERTMANAGER_URL);
                    continue;
                }
                Integer before = seen.putIfAbsent(sameness(uri.get()), i + 1);
                if (before != null) {
                    problems.add(shownAll + "URL " + (i + 1) + " is URL " + before
                            + " again; accepted: each Alertmanager once");
                    continue;
                }
                out.add(uri.get());
            }
            return out;
        }

        private Optional<URI> url() {
            Optional<String> text = text(raw.url());
            if (text.isEmpty()) {
                problems.add(key("url") + ": not set; accepted: " + ACCEPTED_URL);
                return Optional.empty();
            }
            return parseUrl(text.get(), "", ACCEPTED_URL);
        }

        /** One URL, its problem (if any) added naming {@code which} one it is of a list and what is {@code accepted}. */
        private Optional<URI> parseUrl(String text, String which, String accepted) {
            // Shown masked: a receiver's URL may carry credentials, or a token in its path or query.
            String shown = key("url") + "=" + Receiver.maskText(text) + ": " + which;
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                problems.add(shown + "not a URL (" + e.getReason() + "); accepted: " + accepted);
                return Optional.empty();
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                problems.add(shown + "not an absolute http or https URL with a host; accepted: " + accepted);
                return Optional.empty();
            }
            if (uri.getRawUserInfo() != null) {
                problems.add(
                        shown + "has credentials in it, which are not sent; accepted: the URL without them, and basic-user "
                                + "with basic-password (or bearer-token)");
                return Optional.empty();
            }
            return Optional.of(uri);
        }

        private List<Secret> secrets() {
            Optional<String> text = text(raw.secret());
            if (text.isEmpty()) {
                return List.of();
            }
            String[] parts = text.get().split(",", -1);
            List<Secret> secrets = new ArrayList<>();
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i].trim();
                String which = parts.length == 1 ? "the secret" : "secret " + (i + 1) + " of " + parts.length;
                if (part.isEmpty()) {
                    problems.add(key("secret") + ": " + which + " is empty; accepted: " + ACCEPTED_SECRET);
                    continue;
                }
                try {
                    decodeSecret(part);
                    secrets.add(new Secret(part));
                } catch (IllegalArgumentException e) {
                    // Never the value: it is a signing key.
                    problems.add(key("secret") + ": " + which + " " + e.getMessage() + "; accepted: " + ACCEPTED_SECRET);
                }
            }
            return secrets;
        }

        private Set<Severity> severities() {
            Optional<String> text = text(raw.severities());
            if (text.isEmpty()) {
                return EnumSet.allOf(Severity.class);
            }
            Set<Severity> out = EnumSet.noneOf(Severity.class);
            boolean unknown = false;
            for (String part : text.get().split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    out.add(Severity.parse(part));
                } catch (IllegalArgumentException e) {
                    unknown = true;
                    problems.add(key("severities") + "=" + text.get() + ": " + e.getMessage());
                }
            }
            if (out.isEmpty() && !unknown) {
                problems.add(key("severities") + "=" + text.get()
                        + ": no severity; accepted: a comma-separated list of info, warning, critical");
            }
            return out;
        }
    }
}
