package io.poolwatch.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.poolwatch.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Over HTTPS the CSRF cookie is {@code Secure} as well as {@code HttpOnly} and {@code SameSite=Strict}. The server's
 * certificate is made by the JDK's keytool for this test.
 */
@QuarkusTest
@TestProfile(TlsCookieTest.Https.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class TlsCookieTest {

    /** HTTPS with a self-signed certificate for localhost. */
    public static class Https implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("poolwatch-https");
                Path store = dir.resolve("server.p12");
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair", "-alias",
                        "poolwatch", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                        "test-only")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("keytool failed: " + out);
                }
                return Map.of("quarkus.http.ssl.certificate.key-store-file", store.toString(),
                        "quarkus.http.ssl.certificate.key-store-password", "test-only",
                        "quarkus.http.test-ssl-port", "0",
                        "poolwatch.alerting.outbox.path", "target/https-profile-outbox");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @TestHTTPResource(value = "/alerts", tls = true)
    URL alerts;

    @TestHTTPResource("/alerts")
    URL plainAlerts;

    @Test
    void overHttpsTheCsrfCookieIsSecureHttpOnlyAndStrict() {
        String cookie = given().relaxedHTTPSValidation().when().get(alerts).then().statusCode(200).extract()
                .header("Set-Cookie");
        assertTrue(alerts.getProtocol().equals("https"), alerts.toString());
        List<String> parts = List.of(cookie.toLowerCase(Locale.ROOT).split(";\\s*"));
        assertTrue(parts.get(0).startsWith("poolwatch-csrf="), cookie);
        assertTrue(parts.contains("secure") && parts.contains("httponly") && parts.contains("samesite=strict"), cookie);
        // over plain HTTP (loopback) a Secure cookie would never come back, so it is not marked so there
        String plain = given().when().get(plainAlerts).then().statusCode(200).extract().header("Set-Cookie");
        assertTrue(!List.of(plain.toLowerCase(Locale.ROOT).split(";\\s*")).contains("secure"), plain);
    }
}
