package io.poolwatch.alerting;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A notification to deliver: one Alertmanager webhook v4 JSON body for one receiver. {@code id} is the Standard Webhooks
 * webhook-id, stable across retries and restarts, so a receiver can drop a second copy of what it already has.
 *
 * @param id the webhook-id: 1 to 200 visible ASCII characters, unique per notification
 * @param receiver the receiver's name
 * @param groupKey the alert group's key
 * @param status firing or resolved
 * @param alerts how many alerts the body carries
 * @param body the JSON body, sent as it is
 * @param createdAt when it was made; max-age counts from here
 */
public record Notification(String id, String receiver, String groupKey, String status, int alerts, String body,
        Instant createdAt) {

    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(groupKey, "groupKey");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
        // The id travels in a header and in the signed content: keep it to what every HTTP stack passes unchanged.
        if (id.isEmpty() || id.length() > 200 || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("notification id '" + id + "': accepted: 1 to 200 visible ASCII characters");
        }
        if (!FIRING.equals(status) && !RESOLVED.equals(status)) {
            throw new IllegalArgumentException("notification status '" + status + "': accepted: firing, resolved");
        }
        if (alerts < 0) {
            throw new IllegalArgumentException("notification alerts " + alerts + ": accepted: 0 or more");
        }
    }

    /** A new notification with a fresh random id ({@code msg_} and 32 hex digits). */
    public static Notification create(String receiver, String groupKey, String status, int alerts, String body,
            Instant createdAt) {
        return new Notification(newId(), receiver, groupKey, status, alerts, body, createdAt);
    }

    /** A fresh webhook-id. */
    public static String newId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Everything but the body, which may be large. */
    @Override
    public String toString() {
        return "Notification[id=" + id + ", receiver=" + receiver + ", groupKey=" + groupKey + ", status=" + status
                + ", alerts=" + alerts
                + ", createdAt=" + createdAt + ", body=" + body.length() + " chars]";
    }
}
