package io.poolwatch.alerting;

import java.util.ArrayList;
import java.util.List;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;

import io.poolwatch.config.Secret;

/**
 * Signs a request the Standard Webhooks way: {@code v1,<base64 HMAC-SHA256(key, id.timestamp.body)>} for every key,
 * space-separated, so a receiver that knows any one of them (old or new, while keys are rotated) can verify it.
 * The HMAC is computed by the Standard Webhooks reference library.
 */
public final class WebhookSigner {

    private final List<Webhook> keys;

    /** @param secrets {@code whsec_<base64>} secrets, validated by {@link WebhookReceivers} */
    public WebhookSigner(List<Secret> secrets) {
        List<Webhook> out = new ArrayList<>();
        for (Secret s : secrets) {
            try {
                out.add(new Webhook(WebhookReceivers.decodeSecret(s.reveal())));
            } catch (EmptyWebhookSecretException e) {
                throw new IllegalArgumentException("an empty webhook secret", e);
            }
        }
        this.keys = List.copyOf(out);
    }

    /** Whether there is a key to sign with. */
    public boolean signs() {
        return !keys.isEmpty();
    }

    /**
     * The webhook-signature header's value.
     *
     * @param id the webhook-id
     * @param timestamp the webhook-timestamp, in seconds since the epoch
     * @param body the exact body sent
     */
    public String sign(String id, long timestamp, String body) {
        StringBuilder sb = new StringBuilder();
        for (Webhook key : keys) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            try {
                sb.append(key.sign(id, timestamp, body));
            } catch (WebhookSigningException e) {
                // HmacSHA256 is in every JDK; this does not happen.
                throw new IllegalStateException("signing failed: " + e.getMessage(), e);
            }
        }
        return sb.toString();
    }
}
