package io.poolwatch.web;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import io.poolwatch.alerting.DeliveryStatus;
import io.poolwatch.alerting.NotificationOutbox;
import io.poolwatch.alerting.Receiver;
import io.poolwatch.config.Durations;
import io.poolwatch.config.Severity;

/**
 * Every configured receiver with how its deliveries go: for {@code GET /api/v1/alerts/receivers} and the alerts page.
 * Secrets are never shown.
 */
@Singleton
public class ReceiverViews {

    private final NotificationOutbox outbox;

    ReceiverViews(NotificationOutbox outbox) {
        this.outbox = outbox;
    }

    /**
     * A receiver.
     *
     * @param name its name
     * @param url its URL as {@link Receiver#maskedUrl()} shows it: scheme, host and port, the path masked unless the receiver's
     *        {@code show-url} is true, never credentials or query values; an Alertmanager receiver's URLs comma-separated
     * @param severities the alert severities it takes
     * @param sendResolved whether it takes resolutions
     * @param timeout the longest wait for its answer
     * @param signed how many Standard Webhooks keys sign its requests (none for an Alertmanager receiver)
     * @param authentication bearer, basic or none
     * @param outbox where its notifications wait, or null when nothing is sent
     * @param delivery how deliveries are going; for an Alertmanager receiver, its Alertmanagers' together (the latest success
     *        and failure, the most failures in a row of any, counts and depths summed)
     * @param type webhook or alertmanager
     * @param resendInterval how often an Alertmanager receiver's firing alerts are posted again; null for a webhook
     * @param alertmanagers an Alertmanager receiver's Alertmanagers (at most 10), each with its own delivery; empty for a
     *        webhook
     */
    public record ReceiverView(String name, String url, List<String> severities, boolean sendResolved, String timeout,
            int signed,
            String authentication, String outbox, DeliveryStatus delivery, String type, String resendInterval,
            List<AlertmanagerView> alertmanagers) {
    }

    /**
     * One Alertmanager of an Alertmanager receiver.
     *
     * @param url its base URL, masked as the receiver's
     * @param queue its queue in the outbox and name in the audit log, {@code <receiver>#<n>}
     * @param delivery how posts to it are going
     */
    public record AlertmanagerView(String url, String queue, DeliveryStatus delivery) {
    }

    /** Every configured receiver, in name order. */
    public List<ReceiverView> list() {
        Map<String, DeliveryStatus> status = outbox.status().stream()
                .collect(Collectors.toMap(DeliveryStatus::receiver, Function.identity(), (a, b) -> a));
        String location = outbox.location().orElse(null);
        return outbox.receivers().stream().map(r -> {
            List<AlertmanagerView> alertmanagers = r.alertmanager()
                    ? r.targets().stream()
                            .map(t -> new AlertmanagerView(t.maskedUrl(), t.name(),
                                    status.getOrDefault(t.name(), DeliveryStatus.none(t.name()))))
                            .toList()
                    : List.of();
            DeliveryStatus delivery = r.alertmanager()
                    ? DeliveryStatus.combined(r.name(), alertmanagers.stream().map(AlertmanagerView::delivery).toList())
                    : status.get(r.name());
            return new ReceiverView(r.name(), r.maskedUrl(), r.severities().stream().sorted().map(Severity::label).toList(),
                    r.sendResolved(),
                    Durations.format(r.timeout()), r.secrets().size(), authentication(r), location, delivery, r.type().label(),
                    r.resendInterval() == null ? null : Durations.format(r.resendInterval()), alertmanagers);
        }).toList();
    }

    private static String authentication(Receiver r) {
        return r.bearerToken().isPresent() ? "bearer" : r.basicUser().isPresent() ? "basic" : "none";
    }
}
