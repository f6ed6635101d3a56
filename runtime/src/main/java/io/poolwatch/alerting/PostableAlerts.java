package io.poolwatch.alerting;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The body of a post to Alertmanager's API v2, {@code POST /api/v2/alerts}: a JSON array of postable alerts, each with
 * its labels, annotations, {@code startsAt}, {@code endsAt} and {@code generatorURL} (the dashboard page it is about).
 */
final class PostableAlerts {

    private PostableAlerts() {
    }

    static String body(ObjectMapper json, List<AlertmanagerDispatcher.Posted> alerts) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (AlertmanagerDispatcher.Posted a : alerts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("labels", a.labels());
            m.put("annotations", a.annotations());
            m.put("startsAt", time(a.startsAt()));
            m.put("endsAt", time(a.endsAt()));
            m.put("generatorURL", a.generatorUrl());
            list.add(m);
        }
        try {
            return json.writeValueAsString(list);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an Alertmanager post could not be written", e);
        }
    }

    /** RFC 3339 in milliseconds, as alert times are kept. */
    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
