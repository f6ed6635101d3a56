package io.poolwatch.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.poolwatch.config.Secret;

/** The tokens' binding, on a clock the test moves: user, cookie, key and expiry each matter. */
class CsrfTokensTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Secret KEY = new Secret("k".repeat(40));

    private static CsrfTokens at(Instant now, Optional<Secret> key) {
        return new CsrfTokens(key, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aTokenHoldsForItsUserAndCookieUntilItExpires() {
        CsrfTokens tokens = at(T0, Optional.of(KEY));
        String cookie = tokens.newCookie();
        assertTrue(CsrfTokens.isCookie(cookie));
        String token = tokens.issue("ada", cookie);
        assertTrue(tokens.verify("ada", cookie, token));
        assertFalse(tokens.verify("adam", cookie, token), "another user");
        assertFalse(tokens.verify("", cookie, token), "anonymous");
        assertFalse(tokens.verify("ada", tokens.newCookie(), token), "another cookie");
        assertFalse(tokens.verify("ada", cookie, cookie), "the cookie itself");
        assertFalse(at(T0, Optional.of(new Secret("x".repeat(40)))).verify("ada", cookie, token), "another key");
        assertFalse(at(T0, Optional.empty()).verify("ada", cookie, token), "a random key");
        assertTrue(at(T0, Optional.of(KEY)).verify("ada", cookie, token), "the same key in another process");
        assertTrue(at(T0.plus(CsrfTokens.LIFETIME).minusSeconds(1), Optional.of(KEY)).verify("ada", cookie, token),
                "just before expiry");
        assertFalse(at(T0.plus(CsrfTokens.LIFETIME), Optional.of(KEY)).verify("ada", cookie, token), "at expiry");
        assertFalse(at(T0.plus(Duration.ofDays(30)), Optional.of(KEY)).verify("ada", cookie, token), "long after");
        // a token from the future (a forged expiry, or a clock far ahead) is refused too
        assertFalse(at(T0.minus(Duration.ofHours(1)), Optional.of(KEY)).verify("ada", cookie, token));
        // a user whose name contains the separator cannot pose as another
        assertFalse(tokens.verify("a", cookie, tokens.issue("a|", cookie)));
    }
}
