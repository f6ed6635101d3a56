package io.poolwatch.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.poolwatch.config.PoolwatchConfig;
import io.poolwatch.config.Secret;
import io.poolwatch.security.SecurityMode;

/**
 * The server's side of the dashboard's CSRF tokens. The browser holds a random value in the {@code poolwatch-csrf}
 * cookie; a page's forms carry a token the server signed for that cookie, the user the page was rendered for, and an
 * expiry:
 *
 * <pre>
 * token   = expiry "." base64url(HMAC-SHA256(key, message))
 * message = "poolwatch-csrf/1|" length(principal) "|" principal "|" cookie "|" expiry
 * </pre>
 *
 * with {@code expiry} in epoch seconds and {@code principal} empty for an anonymous request. A cookie and token chosen
 * by someone without the key, a token given to another user or for another cookie, and one past its expiry are refused.
 * <p>
 * The key is {@code poolwatch.security.csrf-key} when it is set (replicas behind a load balancer without sticky
 * sessions share it, so a page served by one is accepted by another), or 32 random bytes chosen when the process
 * starts (a restart then asks open pages to be reloaded).
 */
@Singleton
public class CsrfTokens {

    /** How long a page's token is accepted after the page was rendered. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    /** The shortest key accepted in {@code poolwatch.security.csrf-key}. */
    public static final int MIN_KEY_LENGTH = SecurityMode.MIN_CSRF_KEY_LENGTH;
    /** A cookie value: 32 random bytes, URL-safe Base64 without padding. */
    private static final int COOKIE_LENGTH = 43;
    /** Clocks of replicas sharing a key may differ by this much. */
    private static final long SKEW_SECONDS = 60;
    private static final String ALGORITHM = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final Clock clock;

    @Inject
    CsrfTokens(PoolwatchConfig config) {
        this(config.security().csrfKey().filter(k -> !k.isEmpty()).map(Secret::new), Clock.systemUTC());
    }

    CsrfTokens(Optional<Secret> key, Clock clock) {
        byte[] bytes = key.map(k -> k.reveal().getBytes(StandardCharsets.UTF_8)).orElseGet(() -> random(32));
        this.key = new SecretKeySpec(bytes, ALGORITHM);
        this.clock = clock;
    }

    /** A new cookie value. */
    public String newCookie() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
    }

    /** Whether a cookie value has the form of one this class makes (anything else is replaced, never signed). */
    public static boolean isCookie(String value) {
        return value != null && value.length() == COOKIE_LENGTH && value.chars().allMatch(CsrfTokens::base64url);
    }

    /** The token for the forms of a page rendered now for this principal ({@code null}: anonymous) and cookie. */
    public String issue(String principal, String cookie) {
        long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
        return expiry + "." + mac(principal, cookie, expiry);
    }

    /** Whether a form's token was issued by this key for this principal and cookie, and has not expired. */
    public boolean verify(String principal, String cookie, String token) {
        if (!isCookie(cookie) || token == null || token.length() > 64) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot < 1 || dot > 12 || !token.substring(0, dot).chars().allMatch(Character::isDigit)) {
            return false;
        }
        long expiry = Long.parseLong(token.substring(0, dot));
        long now = clock.instant().getEpochSecond();
        if (expiry <= now || expiry > now + LIFETIME.toSeconds() + SKEW_SECONDS) {
            return false;
        }
        return MessageDigest.isEqual(mac(principal, cookie, expiry).getBytes(StandardCharsets.US_ASCII),
                token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(String principal, String cookie, long expiry) {
        String p = principal == null ? "" : principal;
        String message = "poolwatch-csrf/1|" + p.length() + "|" + p + "|" + cookie + "|" + expiry;
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    private static boolean base64url(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
