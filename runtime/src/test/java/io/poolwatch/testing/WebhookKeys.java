package io.poolwatch.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Standard Webhooks signing keys of the tests, and the signature computed with javax.crypto only. */
public final class WebhookKeys {

    public static final String KEY_A = "whsec_" + Base64.getEncoder().encodeToString(bytes(32, 1));
    public static final String KEY_B = "whsec_" + Base64.getEncoder().encodeToString(bytes(24, 7));
    public static final String SHORT_KEY = "whsec_" + Base64.getEncoder().encodeToString(bytes(16, 3));

    private WebhookKeys() {
    }

    /** {@code n} deterministic bytes. */
    public static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    /** The Standard Webhooks signature: v1,base64(HMAC-SHA256(key, id.timestamp.body)). */
    public static String expectedSignature(String whsec, String id, String timestamp, byte[] body) throws Exception {
        byte[] key = Base64.getDecoder().decode(whsec.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
