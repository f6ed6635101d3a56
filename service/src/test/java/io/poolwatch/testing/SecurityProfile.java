package io.poolwatch.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Access control on: three embedded users (viewer, admin, and one without a role), the metrics behind a bearer
 * token, a webhook receiver with a signing secret, a bearer token and a basic password, one whose URL carries its token
 * in its path, and the log written to a file
 * so a test can read everything poolwatch logged. Every secret here is one a test then looks for, and must not find,
 * in answers and the log.
 */
public class SecurityProfile implements QuarkusTestProfile {

    public static final String VIEWER = "vera";
    public static final String VIEWER_PASSWORD = "vera-Pass-7c1e";
    public static final String ADMIN = "ada";
    public static final String ADMIN_PASSWORD = "ada-Pass-93d0";
    public static final String NO_ROLE = "nora";
    public static final String NO_ROLE_PASSWORD = "nora-Pass-5b2a";
    public static final String METRICS_TOKEN = "metrics-Token-1f6b0e4c8a";
    /** Standard Webhooks secret: whsec_ and a base64 key. */
    public static final String WEBHOOK_SECRET = "whsec_c2VjdXJpdHktdGVzdC1rZXktMDEyMzQ1Njc4OQ==";
    public static final String RECEIVER_TOKEN = "receiver-Bearer-8e2d4f";
    public static final String RECEIVER_PASSWORD = "receiver-Basic-3a9c71";
    /** The token a chat service's webhook URL carries in its path. */
    public static final String CHAT_URL_TOKEN = "XXXXchatPathSecret7d41";
    /** A receiver whose URL carries its token in the path, as chat services' webhook URLs do. */
    public static final String CHAT_URL = "http://127.0.0.1:9/services/T000/B000/" + CHAT_URL_TOKEN;
    public static final String LOG_FILE = "target/security-profile.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> c = new HashMap<>();
        user(c, VIEWER, VIEWER_PASSWORD, "viewer");
        user(c, ADMIN, ADMIN_PASSWORD, "admin");
        user(c, NO_ROLE, NO_ROLE_PASSWORD, null);
        c.put("poolwatch.security.metrics", "token");
        c.put("poolwatch.security.metrics-token", METRICS_TOKEN);
        String r = "poolwatch.alerting.receivers.oncall.";
        // A closed loopback port: deliveries fail, and their failures are logged.
        c.put(r + "url", "http://127.0.0.1:9/hook");
        c.put(r + "secret", WEBHOOK_SECRET);
        c.put(r + "bearer-token", RECEIVER_TOKEN);
        String b = "poolwatch.alerting.receivers.basic.";
        c.put(b + "url", "http://127.0.0.1:9/basic");
        c.put(b + "basic-user", "hook");
        c.put(b + "basic-password", RECEIVER_PASSWORD);
        c.put("poolwatch.alerting.receivers.chat.url", CHAT_URL);
        // Refused requests' entries are stored when their window ends: a short one, so tests see them stored.
        c.put("poolwatch.alerting.audit.refused-window", "2s");
        // Few entries per window, so however slowly a flood test runs its entries stay within the 1,000 kept in memory.
        c.put("poolwatch.alerting.audit.refused-per-window", "10");
        c.put("poolwatch.alerting.outbox.path", "target/security-profile-outbox");
        c.put("quarkus.log.file.enabled", "true");
        c.put("quarkus.log.file.path", LOG_FILE);
        c.put("quarkus.log.file.rotation.rotate-on-boot", "true");
        return c;
    }

    private static void user(Map<String, String> c, String name, String password, String role) {
        c.put("quarkus.security.users.embedded.users." + name, hash(name, password));
        if (role != null) {
            c.put("quarkus.security.users.embedded.roles." + name, role);
        }
    }

    /** What the embedded realm stores: HEX(SHA-512(user:realm:password)), realm "Quarkus". */
    public static String hash(String user, String password) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-512")
                    .digest((user + ":Quarkus:" + password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
