package io.poolwatch.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.pool.StartupValidator;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AnonymousAuthenticationRequest;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.config.SmallRyeConfig;

/**
 * How requests are let in, decided once at start-up from the configuration:
 * <ul>
 * <li>With users ({@code quarkus.security.users.embedded.users.*}) or OIDC ({@code quarkus.oidc.auth-server-url}),
 * every request needs the role {@link Access} names.</li>
 * <li>With neither, poolwatch is <em>anonymous</em>: the dashboard and API are open, which is allowed only when the
 * HTTP server is bound to a loopback address (the embedded default on a laptop), or when
 * {@code poolwatch.security.allow-anonymous=true} says so explicitly. Otherwise start-up is refused with a message
 * saying how to configure users, so a pod is never open by accident.</li>
 * </ul>
 */
@ApplicationScoped
public class SecurityMode {

    private static final Logger LOG = Logger.getLogger(SecurityMode.class);

    /** The values of {@code poolwatch.security.metrics}. */
    public enum MetricsAccess {
        OPEN,
        TOKEN,
        VIEWER
    }

    /**
     * The decision.
     *
     * @param anonymous no users and no OIDC: every request is let in
     * @param host the address the HTTP server is bound to
     * @param users how many embedded users are configured
     * @param oidc whether an OIDC provider is configured
     * @param metrics who may scrape {@code /q/metrics}
     * @param metricsToken the bearer token for {@link MetricsAccess#TOKEN}, as SHA-256 (the token itself is not kept)
     */
    public record Decision(boolean anonymous, String host, int users, boolean oidc, MetricsAccess metrics, byte[] metricsToken,
            Set<String> viewerRoles, Set<String> adminRoles) {

        /** The decision without a mapping of roles: poolwatch's own {@code viewer} and {@code admin}. */
        public Decision(boolean anonymous, String host, int users, boolean oidc, MetricsAccess metrics, byte[] metricsToken) {
            this(anonymous, host, users, oidc, metrics, metricsToken, Set.of(AccessPolicy.VIEWER), Set.of(AccessPolicy.ADMIN));
        }

        /** Whether an identity holds one of the roles that may act. */
        public boolean admin(SecurityIdentity id) {
            return id != null && !id.isAnonymous() && adminRoles.stream().anyMatch(id::hasRole);
        }

        /** Whether an identity holds one of the roles that may read (every admin role included). */
        public boolean viewer(SecurityIdentity id) {
            return admin(id) || id != null && !id.isAnonymous() && viewerRoles.stream().anyMatch(id::hasRole);
        }

        /** Whether a presented bearer token is the metrics token (constant time). */
        public boolean metricsTokenMatches(String presented) {
            return metricsToken != null && presented != null && MessageDigest.isEqual(metricsToken, sha256(presented));
        }
    }

    /** The shortest {@code poolwatch.security.csrf-key} accepted: 32 characters, as many as the random key's bytes. */
    public static final int MIN_CSRF_KEY_LENGTH = 32;

    private final Decision decision;
    private final Optional<String> plainTextWarning;

    SecurityMode(Config config, PoolwatchConfig poolwatch,
            Instance<IdentityProvider<?>> providers,
            StartupValidator validator) {
        // HTTP security creates this bean before the pools: the whole configuration is checked first, so that its
        // problems are reported with every other part's (the security keys' own among them).
        validator.validate();
        this.decision = decide(config, poolwatch.security(), hostAuthentication(providers));
        this.plainTextWarning = plainTextWarning(config, LaunchMode.current());
    }

    /** The key of Quarkus's embedded realm that keeps passwords as they are typed. */
    static final String PLAIN_TEXT = "quarkus.security.users.embedded.plain-text";

    /**
     * The warning for embedded users whose passwords are kept in plain text ({@value #PLAIN_TEXT}{@code =true}) in a
     * launch mode other than dev and test, or empty. It names the key and what to do instead; it shows no password and
     * no user name.
     */
    static Optional<String> plainTextWarning(Config config, LaunchMode mode) {
        if (mode == LaunchMode.DEVELOPMENT || mode == LaunchMode.TEST) {
            return Optional.empty();
        }
        boolean plain = config.getOptionalValue(PLAIN_TEXT, String.class).map(v -> v.trim().equalsIgnoreCase("true"))
                .orElse(false);
        boolean enabled = config.getOptionalValue("quarkus.security.users.embedded.enabled", String.class)
                .map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
        int users = users(config);
        if (!plain || !enabled || users == 0) {
            return Optional.empty();
        }
        String algorithm = config.getOptionalValue("quarkus.security.users.embedded.algorithm", String.class)
                .orElse("digest-md5").trim();
        String digest = switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "digest-sha-256" -> "SHA-256";
            case "digest-sha-512" -> "SHA-512";
            default -> "MD5";
        };
        String realm = config.getOptionalValue("quarkus.security.users.embedded.realm-name", String.class).orElse("Quarkus");
        return Optional.of(PLAIN_TEXT + "=true: the passwords of " + users + " embedded user(s) are kept in plain text in the "
                + "configuration, outside dev and test mode. Set " + PLAIN_TEXT + "=false and give each user "
                + "HEX(" + digest + "(<user>:" + realm + ":<password>)) instead (the realm's format for "
                + "quarkus.security.users.embedded.algorithm=" + algorithm
                + "), or keep users and passwords in a secret store: a mounted "
                + "secret named by QUARKUS_CONFIG_LOCATIONS, or a vault config source. See docs/SECURITY.md.");
    }

    /**
     * The class of the first identity provider the application has besides the ones poolwatch counts itself (Quarkus's
     * embedded realm, by its users; OIDC, by its configuration) and Quarkus's own anonymous and trusted ones: a host
     * application that authenticates in its own way (JWT, LDAP, its own provider) is not anonymous.
     */
    static Optional<String> hostAuthentication(Iterable<? extends IdentityProvider<?>> providers) {
        for (var provider : providers) {
            String type = ClientProxy.unwrap(provider).getClass().getName();
            var request = provider.getRequestType();
            if (request == AnonymousAuthenticationRequest.class
                    || request == TrustedAuthenticationRequest.class
                    || type.startsWith("io.quarkus.elytron.security.") || type.startsWith("io.quarkus.oidc.")
                    || type.startsWith("io.quarkus.security.runtime.")) {
                continue;
            }
            return Optional.of(type);
        }
        return Optional.empty();
    }

    /** Logs the decision at start-up (the bean is created, and validated, before the first request). */
    void onStart(@Observes StartupEvent event) {
        plainTextWarning.ifPresent(LOG::warn);
        if (decision.anonymous()) {
            LOG.infof(
                    "No users and no OIDC provider are configured: the dashboard and API are open to anyone who reaches %s%s. "
                            + "See docs/SECURITY.md to configure users.",
                    decision.host(),
                    loopback(decision.host()) ? " (loopback only)" : " (poolwatch.security.allow-anonymous=true)");
        } else {
            LOG.infof("Access control on: %s; /q/health open; /q/metrics %s",
                    decision.oidc() ? (decision.users() > 0 ? decision.users() + " embedded user(s) and OIDC" : "OIDC")
                            : decision.users() + " embedded user(s)",
                    decision.metrics().name().toLowerCase(Locale.ROOT));
        }
    }

    public Decision decision() {
        return decision;
    }

    /** The decision for a configuration; throws {@link InvalidConfigurationException} naming every problem. */
    static Decision decide(Config config, PoolwatchConfig.SecurityConfig security) {
        return decide(config, security, Optional.empty());
    }

    /** The decision, where {@code hostAuthentication} names an identity provider of the application's own. */
    static Decision decide(Config config, PoolwatchConfig.SecurityConfig security, Optional<String> hostAuthentication) {
        List<String> problems = new ArrayList<>();
        String host = config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0");
        int users = users(config);
        boolean oidc = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class).filter(s -> !s.isBlank())
                .isPresent()
                && config.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true);
        boolean anonymous = users == 0 && !oidc && hostAuthentication.isEmpty();
        Set<String> viewerRoles = roles(security.viewerRoles(), "poolwatch.security.viewer-roles", problems);
        Set<String> adminRoles = roles(security.adminRoles(), "poolwatch.security.admin-roles", problems);

        MetricsAccess metrics = null;
        String metricsText = security.metrics().trim();
        try {
            metrics = MetricsAccess.valueOf(metricsText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("poolwatch.security.metrics=" + metricsText + ": accepted: open, token, viewer");
        }
        byte[] token = null;
        Optional<String> tokenText = security.metricsToken().filter(t -> !t.isBlank());
        if (metrics == MetricsAccess.TOKEN) {
            if (tokenText.isEmpty()) {
                problems.add(
                        "poolwatch.security.metrics=token but poolwatch.security.metrics-token is not set: accepted: a token of at "
                                + "least 16 characters (from the environment, POOLWATCH_SECURITY_METRICS_TOKEN, or a mounted file)");
            } else if (tokenText.get().length() < 16) {
                problems.add("poolwatch.security.metrics-token=(" + tokenText.get().length()
                        + " characters, not shown): accepted: at least 16 characters");
            } else {
                token = sha256(tokenText.get());
            }
        }
        if (metrics == MetricsAccess.VIEWER && anonymous) {
            problems.add(
                    "poolwatch.security.metrics=viewer but no users and no OIDC provider are configured: accepted: open or token, "
                            + "or configure users (quarkus.security.users.embedded.users.<name>)");
        }
        if (anonymous && !loopback(host) && !security.allowAnonymous()) {
            problems.add("quarkus.http.host=" + host
                    + ": no users and no OIDC provider are configured, so the dashboard and API "
                    + "would be open to anyone who reaches this address. Accepted: a loopback address (127.0.0.1, ::1, localhost); "
                    + "or configure users (quarkus.security.users.embedded.users.<name>=<hash> with "
                    + "quarkus.security.users.embedded.roles.<name>=viewer|admin, e.g. from a mounted secret named by "
                    + "QUARKUS_CONFIG_LOCATIONS) or OIDC (quarkus.oidc.auth-server-url); or set poolwatch.security.allow-anonymous=true "
                    + "to serve it open on purpose");
        }
        security.csrfKey().filter(k -> !k.isEmpty() && k.length() < MIN_CSRF_KEY_LENGTH)
                .ifPresent(k -> problems
                        .add("poolwatch.security.csrf-key=(" + k.length() + " characters, not shown): accepted: at least "
                                + MIN_CSRF_KEY_LENGTH + " characters, the same on every replica (from the environment, "
                                + "POOLWATCH_SECURITY_CSRF_KEY, or a mounted file); or unset, for a random key per process"));
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        return new Decision(anonymous, host, users, oidc, metrics, token, viewerRoles, adminRoles);
    }

    /** A list of role names: each a non-blank name without spaces or commas, at most 32 of them. */
    private static Set<String> roles(List<String> names, String key, List<String> problems) {
        Set<String> roles = new LinkedHashSet<>();
        for (String name : names) {
            String n = name.trim();
            if (n.isEmpty() || n.length() > 128 || !n.matches("[^\\s,]+")) {
                problems.add(key + "=" + String.join(",", names) + ": '" + n
                        + "' is not a role name; accepted: a comma-separated list "
                        + "of role names (no spaces, at most 128 characters each)");
                return Set.of();
            }
            roles.add(n);
        }
        if (roles.isEmpty() || roles.size() > 32) {
            problems.add(key + "=" + String.join(",", names) + ": accepted: 1 to 32 role names");
        }
        return Set.copyOf(roles);
    }

    /**
     * The runtime configuration of Quarkus's embedded realm, present when the application has
     * quarkus-elytron-security-properties-file.
     */
    private static final String REALM_CONFIG = "io.quarkus.elytron.security.properties.runtime.MPRealmRuntimeConfig";

    /** How many users Quarkus's embedded realm has ({@code quarkus.security.users.embedded.users.<name>}). */
    private static int users(Config config) {
        try {
            // The realm is the application's choice, so its configuration type is looked up, not linked against.
            Class<?> type = Class.forName(REALM_CONFIG);
            Object realm = config.unwrap(SmallRyeConfig.class).getConfigMapping(type);
            return ((Map<?, ?>) type.getMethod("users").invoke(realm)).size();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // No such realm, or outside Quarkus: count the keys instead.
            int n = 0;
            for (String name : config.getPropertyNames()) {
                if (name.startsWith("quarkus.security.users.embedded.users.")) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Whether a bind address only accepts connections from this machine. */
    static boolean loopback(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("*")) {
            return false;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(h);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
