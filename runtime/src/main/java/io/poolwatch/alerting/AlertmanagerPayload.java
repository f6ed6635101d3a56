package io.poolwatch.alerting;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The body of a notification: Alertmanager's webhook payload, version 4, so receivers written for Alertmanager take
 * poolwatch's notifications unchanged.
 */
final class AlertmanagerPayload {

    /** Alertmanager's "no end yet". */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    /** Most alerts in one notification; the rest are counted in truncatedAlerts. */
    static final int MAX_ALERTS = 200;

    private AlertmanagerPayload() {
    }

    static String body(ObjectMapper json, String receiver, NotificationDispatcher.GroupNotification n, String externalUrl) {
        List<Alert> alerts = n.alerts().size() > MAX_ALERTS ? n.alerts().subList(0, MAX_ALERTS) : n.alerts();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", "4");
        body.put("groupKey", n.groupKey());
        body.put("truncatedAlerts", n.alerts().size() - alerts.size());
        body.put("status", n.status());
        body.put("receiver", receiver);
        body.put("groupLabels", n.groupLabels());
        body.put("commonLabels", common(alerts.stream().map(Alert::labels).toList()));
        body.put("commonAnnotations", common(alerts.stream().map(Alert::annotations).toList()));
        body.put("externalURL", externalUrl);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Alert a : alerts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", a.state());
            m.put("labels", new TreeMap<>(a.labels()));
            m.put("annotations", new TreeMap<>(a.annotations()));
            m.put("startsAt", time(a.startsAt()));
            m.put("endsAt", a.state() == AlertState.RESOLVED ? time(a.endsAt()) : ZERO_TIME);
            m.put("generatorURL", a.annotations().getOrDefault("dashboard", externalUrl));
            m.put("fingerprint", a.fingerprint());
            list.add(m);
        }
        body.put("alerts", list);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a notification body could not be written", e);
        }
    }

    private static String time(Instant t) {
        return t == null ? ZERO_TIME : t.toString();
    }

    /** The pairs every map has with the same value. */
    static SortedMap<String, String> common(List<Map<String, String>> maps) {
        SortedMap<String, String> out = new TreeMap<>();
        if (maps.isEmpty()) {
            return out;
        }
        maps.get(0).forEach((k, v) -> {
            if (maps.stream().allMatch(m -> Objects.equals(m.get(k), v))) {
                out.put(k, v);
            }
        });
        return out;
    }
}
