package io.poolwatch.web;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.poolwatch.alerting.DeliveryStatus;
import io.poolwatch.alerting.NotificationOutbox;
import io.poolwatch.alerting.Receiver;
import io.poolwatch.config.Durations;
import io.poolwatch.config.Severity;

/** The webhook receivers and how deliveries to each are going, as JSON. Secrets are never shown. */
@jakarta.inject.Singleton
@RootedPath("/api/v1/alerts/receivers")
@Produces(MediaType.APPLICATION_JSON)
public class ReceiverResource {

    private final NotificationOutbox outbox;

    ReceiverResource(NotificationOutbox outbox) {
        this.outbox = outbox;
    }

    /**
     * A receiver.
     *
     * @param name its name
     * @param url its URL as {@link Receiver#maskedUrl()} shows it: scheme, host and port, the path masked unless the receiver's
     *        {@code show-url} is true, never credentials or query values
     * @param severities the alert severities it takes
     * @param sendResolved whether it takes resolutions
     * @param timeout the longest wait for its answer
     * @param signed how many Standard Webhooks keys sign its requests
     * @param authentication bearer, basic or none
     * @param outbox where its notifications wait, or null when nothing is sent
     * @param delivery how deliveries are going
     */
    public record ReceiverView(String name, String url, List<String> severities, boolean sendResolved, String timeout, int signed,
            String authentication, String outbox, DeliveryStatus delivery) {
    }

    /** Every configured receiver, in name order. */
    @GET
    public List<ReceiverView> list() {
        Map<String, DeliveryStatus> status = outbox.status().stream()
                .collect(Collectors.toMap(DeliveryStatus::receiver, Function.identity(), (a, b) -> a));
        String location = outbox.location().orElse(null);
        return outbox.receivers().stream().map(r -> new ReceiverView(r.name(), r.maskedUrl(),
                r.severities().stream().sorted().map(Severity::label).toList(), r.sendResolved(), Durations.format(r.timeout()),
                r.secrets().size(), authentication(r), location, status.get(r.name()))).toList();
    }

    private static String authentication(Receiver r) {
        return r.bearerToken().isPresent() ? "bearer" : r.basicUser().isPresent() ? "basic" : "none";
    }
}
