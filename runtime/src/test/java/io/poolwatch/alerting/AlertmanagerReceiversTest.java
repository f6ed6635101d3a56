package io.poolwatch.alerting;

import static io.poolwatch.testing.WebhookKeys.KEY_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.poolwatch.config.InvalidConfigurationException;
import io.poolwatch.config.Severity;
import io.poolwatch.testing.TestConfigs;

/**
 * Alertmanager receivers validated from the real configuration mapping: every problem at once, URLs masked, no secret shown.
 */
class AlertmanagerReceiversTest {

    private static final String PRE = "poolwatch.alerting.receivers.";

    private static List<Receiver> parse(Map<String, String> keys) {
        Map<String, String> props = new HashMap<>();
        keys.forEach((k, v) -> props.put(PRE + k, v));
        return WebhookReceivers.parse(TestConfigs.mapping(props).alerting().receivers());
    }

    private static void assertHas(List<String> problems, String prefix) {
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(prefix)), "no problem starting\n  " + prefix + "\nin\n  "
                + String.join("\n  ", problems));
    }

    @Test
    void typeDefaultsToWebhookSoExistingConfigurationsAreUnchanged() {
        Receiver r = parse(Map.of("ops.url", "https://hooks.example/a,b")).get(0);
        assertEquals(Receiver.Type.WEBHOOK, r.type());
        assertEquals(List.of(URI.create("https://hooks.example/a,b")), r.urls(), "a webhook's URL is not split at commas");
        assertEquals(List.of(r), r.targets());
        assertEquals(null, r.resendInterval());
    }

    @Test
    void anAlertmanagerReceiverWithSeveralUrlsAndDefaults() {
        Receiver r = parse(
                Map.of("am.type", "Alertmanager", "am.url", " http://am-0:9093 , http://am-1:9093/, https://am.example/prefix"))
                .get(0);
        assertEquals(Receiver.Type.ALERTMANAGER, r.type());
        assertEquals(List.of(URI.create("http://am-0:9093"), URI.create("http://am-1:9093/"),
                URI.create("https://am.example/prefix")), r.urls());
        assertEquals(Duration.ofMinutes(1), r.resendInterval(), "Prometheus' resend delay");
        assertEquals(Set.of(Severity.values()), r.severities());
        assertTrue(r.sendResolved());
        assertEquals(Duration.ofSeconds(10), r.timeout());
        assertTrue(r.secrets().isEmpty());
        assertEquals(List.of("am#1", "am#2", "am#3"), r.targets().stream().map(Receiver::name).toList(),
                "one outbox queue per Alertmanager");
        assertEquals(List.of(URI.create("http://am-1:9093/")), r.targets().get(1).urls());
        assertTrue(r.targets().stream().allMatch(t -> t.alertmanager() && t.resendInterval().equals(r.resendInterval())));
        assertEquals("http://am-0:9093, http://am-1:9093/, https://am.example/****", r.maskedUrl(),
                "paths masked as for webhooks");
        assertEquals("https://am.example/prefix/api/v2/alerts", WebhookSender.alertsEndpoint(r.urls().get(2)).toString());
        assertEquals("http://am-1:9093/api/v2/alerts", WebhookSender.alertsEndpoint(r.urls().get(1)).toString());
        assertEquals("http://am-0:9093/api/v2/alerts", WebhookSender.alertsEndpoint(r.urls().get(0)).toString());
    }

    @Test
    void everyKeyReadAndNothingSecretShown() throws Exception {
        Map<String, String> keys = new HashMap<>();
        keys.put("am.type", "alertmanager");
        keys.put("am.url", "https://am-0.example:9093/am-token-path,https://am-1.example:9093/am-token-path");
        keys.put("am.basic-user", "poolwatch");
        keys.put("am.basic-password", "am-pa55word-xyz");
        keys.put("am.severities", "critical");
        keys.put("am.send-resolved", "false");
        keys.put("am.timeout", "3s");
        keys.put("am.resend-interval", "30s");
        Receiver r = parse(keys).get(0);
        assertEquals(Duration.ofSeconds(30), r.resendInterval());
        assertEquals(Set.of(Severity.CRITICAL), r.severities());
        assertFalse(r.sendResolved());
        assertEquals(Duration.ofSeconds(3), r.timeout());
        String json = new ObjectMapper().findAndRegisterModules().writeValueAsString(r);
        for (String shown : List.of(r.toString(), json, r.targets().toString())) {
            for (String secret : List.of("am-pa55word-xyz", "am-token-path")) {
                assertFalse(shown.contains(secret), "'" + secret + "' shown in " + shown);
            }
        }
        assertTrue(r.toString().contains("resendInterval=30s"), r.toString());
    }

    @Test
    void everyProblemAtOnceNamingKeyValueAndWhatIsAccepted() {
        Map<String, String> keys = new HashMap<>();
        keys.put("kind.type", "prometheus");
        keys.put("kind.url", "http://am:9093");
        keys.put("nourl.type", "alertmanager");
        keys.put("list.type", "alertmanager");
        keys.put("list.url",
                "http://am-0:9093,,ftp://am-1/x,http://am-2:9093?token=q-secret-1,https://u:pw-secret-2@am-3/p,http://AM-0:9093/");
        keys.put("signed.type", "alertmanager");
        keys.put("signed.url", "http://signed:9093");
        keys.put("signed.secret", KEY_A);
        keys.put("resend.type", "alertmanager");
        keys.put("resend.url", "http://resend:9093");
        keys.put("resend.resend-interval", "0s");
        keys.put("slow.type", "alertmanager");
        keys.put("slow.url", "http://slow:9093");
        keys.put("slow.resend-interval", "2h");
        keys.put("words.type", "alertmanager");
        keys.put("words.url", "http://words:9093");
        keys.put("words.resend-interval", "often");
        keys.put("hook.url", "https://hooks.example/h");
        keys.put("hook.resend-interval", "1m");
        StringBuilder eleven = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ",").append("http://many-").append(i).append(":9093");
        }
        keys.put("many.type", "alertmanager");
        keys.put("many.url", eleven.toString());
        String longName = "a".repeat(61);
        keys.put(longName + ".type", "alertmanager");
        keys.put(longName + ".url", "http://long:9093");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse(keys));
        List<String> p = e.problems();
        assertHas(p, PRE + "\"kind\".type=prometheus: accepted: webhook, alertmanager");
        assertHas(p, PRE + "\"nourl\".url: not set; accepted: one or more Alertmanager base URLs, comma-separated");
        String list = PRE
                + "\"list\".url=http://am-0:9093,,ftp://am-1/****,http://am-2:9093?token=****,https://****@am-3/****,http://AM-0:9093/: ";
        assertHas(p, list + "URL 2 of 6, empty; accepted: one or more Alertmanager base URLs");
        assertHas(p, PRE
                + "\"list\".url=ftp://am-1/****: URL 3 of 6, not an absolute http or https URL with a host; accepted: one or more");
        assertHas(p, PRE
                + "\"list\".url=http://am-2:9093?token=****: URL 4 of 6, has a query or fragment, which Alertmanager's API does not take");
        assertHas(p, PRE + "\"list\".url=https://****@am-3/****: URL 5 of 6, has credentials in it");
        assertHas(p, list + "URL 6 is URL 1 again; accepted: each Alertmanager once");
        assertHas(p, PRE
                + "\"signed\".secret: set for type=alertmanager; Alertmanager checks no Standard Webhooks signature; accepted: no secret");
        assertHas(p, PRE + "\"resend\".resend-interval=0s: accepted: above 0s and at most 1h");
        assertHas(p, PRE + "\"slow\".resend-interval=2h: accepted: above 0s and at most 1h");
        assertHas(p, PRE + "\"words\".resend-interval=often: ");
        assertHas(p, PRE + "\"hook\".resend-interval=1m: set for type=webhook; accepted: only with type=alertmanager");
        assertHas(p, PRE + "\"many\".url=http://many-0:9093,");
        assertTrue(
                p.stream().anyMatch(x -> x.startsWith(PRE + "\"many\".url=") && x.contains(": 11 URLs; accepted: at most 10")),
                String.join("\n", p));
        assertHas(p,
                PRE + "\"" + longName + "\": '" + longName + "' has 61 characters; accepted: at most 60 for type=alertmanager");
        assertEquals(14, p.size(), String.join("\n", p));
        for (String problem : p) {
            for (String secret : List.of("q-secret-1", "pw-secret-2", KEY_A, KEY_A.substring(6))) {
                assertFalse(problem.contains(secret), "'" + secret + "' shown in " + problem);
            }
        }
    }

    @Test
    void anAlertmanagerUrlSharedWithAnotherReceiverIsRefusedNamingBoth() {
        Map<String, String> keys = new HashMap<>();
        keys.put("a.type", "alertmanager");
        keys.put("a.url", "http://am-0:9093,http://am-1:9093");
        keys.put("b.type", "alertmanager");
        keys.put("b.url", "http://am-2:9093,HTTP://am-1:9093/");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse(keys));
        assertEquals(List.of(PRE + "\"b\".url=http://am-2:9093,HTTP://am-1:9093/: HTTP://am-1:9093/ is the same URL as " + PRE
                + "\"a\".url; accepted: a URL of its own for each receiver"), e.problems());
    }

    @Test
    void webhooksAndAlertmanagersTogether() {
        Map<String, String> keys = new HashMap<>();
        keys.put("am.type", "alertmanager");
        keys.put("am.url", "http://am-0:9093");
        keys.put("am.bearer-token", "am-tok-1");
        keys.put("ops.url", "https://hooks.example/ops");
        keys.put("ops.secret", KEY_A);
        List<Receiver> rs = parse(keys);
        assertEquals(List.of("am", "ops"), rs.stream().map(Receiver::name).toList());
        assertTrue(rs.get(0).alertmanager());
        assertEquals("am-tok-1", rs.get(0).bearerToken().orElseThrow().reveal());
        assertFalse(rs.get(1).alertmanager());
        assertEquals(1, rs.get(1).secrets().size());
    }
}
