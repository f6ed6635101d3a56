package io.poolwatch.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.poolwatch.sampling.PoolSampler;
import io.poolwatch.testing.CsrfForm;
import io.poolwatch.testing.PostgresTestResource;
import io.poolwatch.testing.SecurityProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The dashboard's CSRF token is the server's: signed with its key and bound to the user who got the page, the browser's
 * cookie and an expiry. A cookie and field of an attacker's choosing, a token handed to another user, and an expired
 * token are refused before the action runs; the real form flow (a page, then its form) works.
 * <p>
 * The key is configured here ({@code poolwatch.security.csrf-key}, as replicas behind a load balancer share it), so the
 * test can sign tokens itself: the format is {@code <expiry epoch seconds>.<base64url HMAC-SHA256>} over
 * {@code poolwatch-csrf/1|<length of principal>|<principal>|<cookie>|<expiry>}.
 */
@QuarkusTest
@TestProfile(CsrfBindingTest.Profile.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CsrfBindingTest {

    /** The security profile, a second admin and a shared CSRF key. */
    public static class Profile extends SecurityProfile {
        static final String KEY = "csrf-Key-shared-by-replicas-0123456789";
        static final String OTHER_ADMIN = "adam";
        static final String OTHER_ADMIN_PASSWORD = "adam-Pass-4e1f";

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>(super.getConfigOverrides());
            c.put("quarkus.security.users.embedded.users." + OTHER_ADMIN, hash(OTHER_ADMIN, OTHER_ADMIN_PASSWORD));
            c.put("quarkus.security.users.embedded.roles." + OTHER_ADMIN, "admin");
            c.put("poolwatch.security.csrf-key", KEY);
            return c;
        }
    }

    private static final String RESET = "/actions/pools/main/reset-metrics";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    PoolSampler sampler;

    private static RequestSpecification as(String user, String password) {
        return given().redirects().follow(false).auth().preemptive().basic(user, password);
    }

    private static RequestSpecification admin() {
        return as(SecurityProfile.ADMIN, SecurityProfile.ADMIN_PASSWORD);
    }

    private static RequestSpecification otherAdmin() {
        return as(Profile.OTHER_ADMIN, Profile.OTHER_ADMIN_PASSWORD);
    }

    /** A form post to reset pool main with this cookie and field; the status, after checking nothing was reset when refused. */
    private int post(RequestSpecification who, String cookie, String field) {
        Instant before = sampler.baseline("main").at();
        RequestSpecification s = who.contentType(ContentType.URLENC).formParam("back", "/pools/main");
        if (cookie != null) {
            s = s.cookie(CsrfForm.COOKIE, cookie);
        }
        if (field != null) {
            s = s.formParam(CsrfForm.FIELD, field);
        }
        int status = s.when().post(RESET).then().extract().statusCode();
        if (status != 303) {
            assertEquals(before, sampler.baseline("main").at(), "a refused form reset the pool's metrics");
        }
        return status;
    }

    @Test
    void thePageThenItsFormWorks() {
        Instant before = sampler.baseline("main").at();
        CsrfForm.given(admin()).when().post(RESET).then().statusCode(303);
        assertNotEquals(before, sampler.baseline("main").at(), "the form reset the metrics");
    }

    @Test
    void aCookieAndFieldOfTheAttackersChoosingAreRefused() throws Exception {
        String real = CsrfForm.token(admin()).cookie();
        long future = Instant.now().plusSeconds(600).getEpochSecond();
        List<String[]> forged = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String chosen = random(32);
            forged.add(new String[] { chosen, chosen });
            forged.add(new String[] { chosen, future + "." + random(32) });
            forged.add(new String[] { chosen,
                    sign("the-attackers-own-key-0123456789abcd", SecurityProfile.ADMIN, chosen, future) });
            forged.add(new String[] { real, future + "." + random(32) });
            forged.add(
                    new String[] { real, sign("the-attackers-own-key-0123456789abcd", SecurityProfile.ADMIN, real, future) });
        }
        // the double-submit of the cookie's own value, which a planted cookie makes easy
        forged.add(new String[] { real, real });
        forged.add(new String[] { "", "" });
        forged.add(new String[] { null, future + "." + random(32) });
        forged.add(new String[] { real, null });
        forged.add(new String[] { real, "" });
        forged.add(new String[] { real, future + "." });
        forged.add(new String[] { real, "." + random(32) });
        forged.add(new String[] { real, "-1." + random(32) });
        forged.add(new String[] { real, "99999999999999999999999." + random(32) });
        List<String> accepted = new ArrayList<>();
        for (String[] pair : forged) {
            int status = post(admin(), pair[0], pair[1]);
            if (status != 400) {
                accepted.add(status + " for cookie=" + pair[0] + " field=" + pair[1]);
            }
        }
        assertEquals(List.of(), accepted);
        admin().cookie(CsrfForm.COOKIE, real).formParam(CsrfForm.FIELD, real).when().post(RESET).then().statusCode(400)
                .body(containsString("security token"));
    }

    @Test
    void anotherUsersTokenIsRefused() {
        CsrfForm.Token adams = CsrfForm.token(otherAdmin());
        assertEquals(400, post(admin(), adams.cookie(), adams.field()), "ada posted adam's cookie and token");
        // the same pair is good for the user it was given to
        assertEquals(303, post(otherAdmin(), adams.cookie(), adams.field()));
        // and a token bound to another cookie is refused too
        CsrfForm.Token adas = CsrfForm.token(admin());
        CsrfForm.Token adas2 = CsrfForm.token(admin());
        assertEquals(400, post(admin(), adas.cookie(), adas2.field()));
    }

    @Test
    void anExpiredTokenIsRefusedAndAFreshOneSignedTheSameWayIsAccepted() throws Exception {
        String cookie = CsrfForm.token(admin()).cookie();
        long now = Instant.now().getEpochSecond();
        assertEquals(400, post(admin(), cookie, sign(Profile.KEY, SecurityProfile.ADMIN, cookie, now - 60)),
                "expired a minute ago");
        assertEquals(400, post(admin(), cookie, sign(Profile.KEY, SecurityProfile.ADMIN, cookie, now - 3600 * 24)),
                "expired a day ago");
        assertEquals(400, post(admin(), cookie, sign(Profile.KEY, SecurityProfile.ADMIN, cookie, now + 3600L * 24 * 365)),
                "an expiry further ahead than the server ever gives");
        assertEquals(303, post(admin(), cookie, sign(Profile.KEY, SecurityProfile.ADMIN, cookie, now + 600)),
                "signed the same way, but not expired");
    }

    static String sign(String key, String principal, String cookie, long expiry) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String message = "poolwatch-csrf/1|" + principal.length() + "|" + principal + "|" + cookie + "|" + expiry;
        return expiry + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
