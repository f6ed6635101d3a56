package io.poolwatch.alerting;

import static io.poolwatch.testing.WebhookKeys.KEY_A;
import static io.poolwatch.testing.WebhookKeys.KEY_B;
import static io.poolwatch.testing.WebhookKeys.SHORT_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** Receivers validated from the real configuration mapping: every problem at once, and no secret in any message. */
class WebhookReceiversTest {

    private static List<Receiver> parse(Map<String, String> keys) {
        Map<String, String> props = new HashMap<>();
        keys.forEach((k, v) -> props.put("poolwatch.alerting.receivers." + k, v));
        return WebhookReceivers.parse(TestConfigs.mapping(props).alerting().receivers());
    }

    @Test
    void aReceiverWithDefaults() {
        List<Receiver> rs = parse(Map.of("ops.url", "https://hooks.example/alerts"));
        assertEquals(1, rs.size());
        Receiver r = rs.get(0);
        assertEquals("ops", r.name());
        assertEquals(Set.of(Severity.values()), r.severities());
        assertTrue(r.sendResolved());
        assertEquals(Duration.ofSeconds(10), r.timeout());
        assertTrue(r.secrets().isEmpty());
        assertTrue(r.bearerToken().isEmpty());
    }

    @Test
    void everyKeyRead() {
        Map<String, String> keys = new HashMap<>();
        keys.put("pager.url", "http://127.0.0.1:9000/hook?token=abc123&team=db");
        keys.put("pager.secret", KEY_A + ", " + KEY_B);
        keys.put("pager.basic-user", "poolwatch");
        keys.put("pager.basic-password", "pa55word-xyz");
        keys.put("pager.severities", "warning, CRITICAL");
        keys.put("pager.send-resolved", "no");
        keys.put("pager.timeout", "2500ms");
        Receiver r = parse(keys).get(0);
        assertEquals(2, r.secrets().size());
        assertEquals(KEY_A, r.secrets().get(0).reveal());
        assertEquals(Set.of(Severity.WARNING, Severity.CRITICAL), r.severities());
        assertFalse(r.sendResolved());
        assertEquals(Duration.ofMillis(2500), r.timeout());
        assertEquals("poolwatch", r.basicUser().orElseThrow());
        assertEquals("http://127.0.0.1:9000/****?token=****&team=****", r.maskedUrl());
        for (String shown : List.of(r.toString(), json(r))) {
            for (String secret : List.of(KEY_A, KEY_B, KEY_A.substring(6), "pa55word-xyz", "abc123")) {
                assertFalse(shown.contains(secret), "'" + secret + "' shown in " + shown);
            }
        }
    }

    @Test
    void bearerTokenIsMaskedToo() {
        Receiver r = parse(Map.of("chat.url", "https://hooks.example/x", "chat.bearer-token", "tok-s3cr3t-value")).get(0);
        assertEquals("tok-s3cr3t-value", r.bearerToken().orElseThrow().reveal());
        assertFalse(r.toString().contains("tok-s3cr3t-value"), r.toString());
        assertFalse(json(r).contains("tok-s3cr3t-value"), json(r));
    }

    private static String json(Receiver r) {
        try {
            return new ObjectMapper().findAndRegisterModules().writeValueAsString(r);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyProblemAtOnceWithoutASecret() {
        Map<String, String> keys = new HashMap<>();
        keys.put("\"Bad Name\".url", "https://hooks.example/");
        keys.put("nourl.timeout", "5s");
        keys.put("ftp.url", "ftp://files.example/x");
        keys.put("relative.url", "/alerts");
        keys.put("creds.url", "https://admin:hunter2-pw@hooks.example/a?key=qwerty-secret");
        keys.put("keys.url", "https://hooks.example/k");
        keys.put("keys.secret", KEY_A + ",not-a-whsec-secret-1," + SHORT_KEY + ",whsec_%%%notbase64%%%");
        keys.put("auth.url", "https://hooks.example/a");
        keys.put("auth.bearer-token", "tok-abc-999");
        keys.put("auth.basic-user", "someone");
        keys.put("auth.basic-password", "pw-abc-999");
        keys.put("user.url", "https://hooks.example/u");
        keys.put("user.basic-user", "alone");
        keys.put("pass.url", "https://hooks.example/p");
        keys.put("pass.basic-password", "pw-lonely-777");
        keys.put("sev.url", "https://hooks.example/s");
        keys.put("sev.severities", "warning,urgent");
        keys.put("sev.send-resolved", "maybe");
        keys.put("sev.timeout", "3m");
        keys.put("zero.url", "https://hooks.example/z");
        keys.put("zero.timeout", "0s");
        keys.put("bad-duration.url", "https://hooks.example/d");
        keys.put("bad-duration.timeout", "soon");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse(keys));
        List<String> p = e.problems();
        String all = String.join("\n", p);
        String pre = "poolwatch.alerting.receivers.";
        assertHas(p, pre + "\"Bad Name\": 'Bad Name' is not a valid receiver name");
        assertHas(p, pre + "\"nourl\".url: not set; accepted: an absolute http:// or https:// URL");
        assertHas(p, pre + "\"ftp\".url=ftp://files.example/****: not an absolute http or https URL");
        assertHas(p, pre + "\"relative\".url=/****: not an absolute http or https URL");
        assertHas(p, pre + "\"creds\".url=https://****@hooks.example/****?key=****: has credentials in it");
        assertHas(p, pre + "\"keys\".secret: secret 2 of 4 does not start with whsec_; accepted: whsec_<base64 key>");
        assertHas(p, pre
                + "\"keys\".secret: secret 3 of 4 has a key of 16 bytes; accepted: whsec_<base64 key> with a key of 24 to 64 bytes");
        assertHas(p, pre + "\"keys\".secret: secret 4 of 4 is not base64 after whsec_");
        assertHas(p, pre
                + "\"auth\".bearer-token: set together with basic-user; accepted: bearer-token, or basic-user with basic-password");
        assertHas(p, pre + "\"user\".basic-password: not set; basic-user=alone needs it");
        assertHas(p, pre + "\"pass\".basic-user: not set; basic-password needs it");
        assertHas(p, pre + "\"sev\".severities=warning,urgent: 'urgent' is not a severity; accepted: info, warning, critical");
        assertHas(p, pre + "\"sev\".send-resolved=maybe: 'maybe' is not a boolean; accepted: true, false");
        assertHas(p, pre + "\"sev\".timeout=3m: accepted: above 0s and at most 2m");
        assertHas(p, pre + "\"zero\".timeout=0s: accepted: above 0s and at most 2m");
        assertHas(p, pre + "\"bad-duration\".timeout=soon: 'soon' is not a duration");
        assertEquals(16, p.size(), all);
        for (String secret : List.of(KEY_A, KEY_A.substring(6), SHORT_KEY, SHORT_KEY.substring(6), "not-a-whsec-secret-1",
                "%%%notbase64",
                "hunter2-pw", "qwerty-secret", "tok-abc-999", "pw-abc-999", "pw-lonely-777")) {
            assertFalse(e.getMessage().contains(secret), "'" + secret + "' in\n" + e.getMessage());
        }
    }

    @Test
    void aTokenInTheUrlsPathIsMaskedUnlessShowUrlIsSet() {
        String token = "XXXXpathSECRET91";
        String url = "https://hooks.slack.example:8443/services/T000/B000/" + token + "?team=ops-secret";
        Receiver r = parse(Map.of("chat.url", url)).get(0);
        assertEquals("https://hooks.slack.example:8443/****?team=****", r.maskedUrl());
        for (String shown : List.of(r.maskedUrl(), r.toString(), json(r))) {
            assertFalse(shown.contains(token) || shown.contains("T000") || shown.contains("ops-secret"), shown);
        }
        // a path that is not a secret may be shown; query values never are
        Receiver shownAsIs = parse(Map.of("chat.url", url, "chat.show-url", "true")).get(0);
        assertEquals("https://hooks.slack.example:8443/services/T000/B000/" + token + "?team=****", shownAsIs.maskedUrl());
        assertEquals("https://hooks.example", parse(Map.of("bare.url", "https://hooks.example")).get(0).maskedUrl());
        assertEquals("https://hooks.example/", parse(Map.of("bare.url", "https://hooks.example/")).get(0).maskedUrl());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> parse(Map.of("chat.url", url, "chat.show-url", "perhaps")));
        assertHas(e.problems(), "poolwatch.alerting.receivers.\"chat\".show-url=perhaps: 'perhaps' is not a boolean");
    }

    @Test
    void aDeliveryErrorShowsTheUrlItsPathOrItsQueryMasked() {
        Receiver r = parse(Map.of("chat.url", "https://hooks.example/services/T1/B1/tok-err-42?key=q-err-7")).get(0);
        String message = WebhookSender.clean("to https://hooks.example/services/T1/B1/tok-err-42?key=q-err-7 failed; "
                + "path /services/T1/B1/tok-err-42, query key=q-err-7", r);
        assertFalse(message.contains("tok-err-42") || message.contains("q-err-7"), message);
        assertTrue(message.startsWith("to https://hooks.example/****?key=**** failed"), message);
    }

    @Test
    void twoReceiversWithTheSameUrlAreRefusedNamingBothKeysWithEveryOtherProblem() {
        Map<String, String> keys = new HashMap<>();
        keys.put("a.url", "https://hooks.example/services/T1/B1/tok-same-1");
        keys.put("b.url", "HTTPS://Hooks.Example:443/services/T1/B1/tok-same-1");
        keys.put("c.url", "https://hooks.example/services/T1/B1/other");
        keys.put("c.timeout", "soon");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> parse(keys));
        assertHas(e.problems(), "poolwatch.alerting.receivers.\"b\".url=HTTPS://Hooks.Example:443/****: the same URL as "
                + "poolwatch.alerting.receivers.\"a\".url; accepted: a URL of its own for each receiver");
        assertHas(e.problems(), "poolwatch.alerting.receivers.\"c\".timeout=soon");
        assertEquals(2, e.problems().size(), String.join("\n", e.problems()));
        assertFalse(e.getMessage().contains("tok-same-1"), e.getMessage());
        // the same host and path with another query is another receiver's URL
        assertEquals(2,
                parse(Map.of("a.url", "https://hooks.example/x?channel=1", "b.url", "https://hooks.example/x?channel=2"))
                        .size());
    }

    private static void assertHas(List<String> problems, String prefix) {
        assertTrue(problems.stream().anyMatch(p -> p.startsWith(prefix)), "no problem starting\n  " + prefix + "\nin\n  "
                + String.join("\n  ", problems));
    }

    @Test
    void maskingAUrlThatDoesNotParse() {
        assertEquals("https://****@host/****?t=****", Receiver.maskText("https://u:p@host/a b?t=secret#frag"));
        assertEquals("http://host:1/****?a=****&flag", Receiver.maskText("http://host:1/x?a=1&flag"));
        assertEquals("http://host:1", Receiver.maskText("http://host:1"));
        assertEquals("/****", Receiver.maskText("/alerts/T0/secret"));
    }
}
